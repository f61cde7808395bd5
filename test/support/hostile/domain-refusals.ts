import fc from 'fast-check';
import type { Balance } from './database-state';
import { type Fixture, TAKEN_REFERENCES } from './fixture';
import type { HostileRequest } from './hostile-request';
import { MAX_MINOR } from './refused-values';

/** Amounts that no wallet of the fixture can debit, and credits that no wallet can hold. */
export interface Limits {
  readonly beyondEveryBalance: bigint;
  readonly overflowFrom: bigint;
}

export function limitsOf(balances: Record<string, Balance>): Limits {
  const ledgers = Object.values(balances).map((balance) => BigInt(balance.ledger));
  return { beyondEveryBalance: ledgers.reduce((a, b) => (a > b ? a : b)) + 1n, overflowFrom: MAX_MINOR - ledgers.reduce((a, b) => (a < b ? a : b)) + 1n };
}

/** Well-formed requests the domain refuses: no funds, overflow, mixed currencies, unknown ids. */
export function refusedByTheDomain(fixture: Fixture, limits: Limits): fc.Arbitrary<HostileRequest> {
  const { usdA, usdB, eur } = fixture;
  const wallet = fc.constantFrom(usdA, usdB, eur);
  const unaffordable = fc.bigInt({ min: limits.beyondEveryBalance, max: MAX_MINOR }).map(String);
  const overflowing = fc.bigInt({ min: limits.overflowFrom, max: MAX_MINOR }).map(String);
  const request = (label: string, path: string, body: unknown): HostileRequest => ({ label, method: 'POST', path, body: JSON.stringify(body) });
  const legs = (first: object, second: object) => ({ transactions: [first, second] });
  return fc.oneof(
    fc.tuple(wallet, unaffordable, fc.boolean()).map(([id, amount, pending]) => request('debit beyond the balance', `/v1/wallets/${id}/transactions`, { type: 'debit', amount, pending })),
    fc.tuple(wallet, overflowing).map(([id, amount]) => request('credit past 2^63 - 1', `/v1/wallets/${id}/transactions`, { type: 'credit', amount })),
    fc.tuple(fc.constantFrom([usdA, usdB], [usdB, usdA]), unaffordable, fc.boolean()).map(([[from, to], amount, pending]) =>
      request('transfer beyond the balance', '/v1/transfers', { fromWalletId: from, toWalletId: to, amount, pending }),
    ),
    fc.constantFrom([usdA, eur], [eur, usdB]).map(([from, to]) => request('transfer across currencies', '/v1/transfers', { fromWalletId: from, toWalletId: to, amount: '1' })),
    fc.tuple(fc.uuid(), fc.boolean()).map(([unknown, outgoing]) =>
      request('transfer with an unknown wallet', '/v1/transfers', { fromWalletId: outgoing ? unknown : usdA, toWalletId: outgoing ? usdB : unknown, amount: '1' }),
    ),
    fc.tuple(unaffordable, fc.boolean()).map(([amount, pending]) =>
      request('group leg beyond the balance', '/v1/transaction-groups', { pending, ...legs({ walletId: usdB, type: 'debit', amount }, { walletId: usdA, type: 'credit', amount }) }),
    ),
    fc.boolean().map((pending) => request('group across currencies', '/v1/transaction-groups', { pending, ...legs({ walletId: usdA, type: 'debit', amount: '1' }, { walletId: eur, type: 'credit', amount: '1' }) })),
    fc.uuid().map((unknown) => request('group with an unknown wallet', '/v1/transaction-groups', legs({ walletId: usdA, type: 'debit', amount: '1' }, { walletId: unknown, type: 'credit', amount: '1' }))),
    fc.uuid().map((unknown) => request('credit on an unknown wallet', `/v1/wallets/${unknown}/transactions`, { type: 'credit', amount: '1' })),
    fc.uuid().map((unknown) => request('owner of an unknown wallet', `/v1/wallets/${unknown}/owners`, { ownerType: 'user', ownerRef: 'u-9' })),
    fc.uuid().map((unknown) => request('overdraft limit of an unknown wallet', `/v1/wallets/${unknown}/overdraft-limit`, { overdraftLimit: '100' })),
    // A taken reference is refused before the funds or the target are looked at.
    fc.tuple(fc.constantFrom('credit', 'debit'), fc.boolean(), fc.oneof(fc.constant('1'), unaffordable)).map(([type, pending, amount]) =>
      request('a transaction under a reference the wallet used', `/v1/wallets/${usdA}/transactions`, { type, amount, pending, reference: TAKEN_REFERENCES.credit }),
    ),
    fc.tuple(fc.constantFrom([usdA, usdB], [usdB, usdA]), fc.oneof(fc.constant('1'), unaffordable)).map(([[from, to], amount]) =>
      request('a transfer under a reference a group used', '/v1/transfers', { fromWalletId: from, toWalletId: to, amount, reference: TAKEN_REFERENCES.transfer }),
    ),
    fc.boolean().map((pending) =>
      request('a group under a reference a group used', '/v1/transaction-groups', { pending, reference: TAKEN_REFERENCES.transfer, ...legs({ walletId: usdB, type: 'debit', amount: '1' }, { walletId: eur, type: 'credit', amount: '1' }) }),
    ),
    fc.tuple(fc.uuid(), fc.constantFrom('confirm', 'reject')).map(([unknown, action]) => request(`${action} an unknown hold`, `/v1/wallets/${usdA}/transactions/${unknown}/${action}`, {})),
    fc.tuple(fc.uuid(), fc.constantFrom('confirm', 'reject')).map(([unknown, action]) => request(`${action} an unknown group`, `/v1/transaction-groups/${unknown}/${action}`, {})),
  );
}
