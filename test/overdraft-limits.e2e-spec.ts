import { randomBytes } from 'node:crypto';
import { issueKey } from './support/callers';
import { type HttpResult, get, post } from './support/http';
import { READ_SIDE_ENV, getAfter, logHead } from './support/read-model';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Overdraft limits and system wallets through the API, on each event store: a wallet's
 * `available` may drop to -limit and no further, whatever takes it there (a debit, a hold, an
 * increase, a reversal, a group's leg); a limit is never set below what is already used; an
 * "unlimited" wallet has no floor; and a key bound to an owner never lends.
 */
describe.each(['postgres', 'kurrentdb'] as const)('overdraft limits on the %s event store', (eventStore) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ eventStore, env: READ_SIDE_ENV });
  });
  afterAll(async () => app?.close());

  const open = async (body: Record<string, unknown> = {}): Promise<HttpResult> => {
    const opened = await post(app.baseUrl, '/v1/wallets', { type: 'main', currency: 'USD', ...body });
    expect(opened.status).toBe(201);
    return opened;
  };
  const debit = (walletId: string, amount: string, more: Record<string, unknown> = {}) =>
    post(app.baseUrl, `/v1/wallets/${walletId}/transactions`, { type: 'debit', amount, ...more });
  const credit = (walletId: string, amount: string) => post(app.baseUrl, `/v1/wallets/${walletId}/transactions`, { type: 'credit', amount });
  const setLimit = (walletId: string, overdraftLimit: string, headers?: Record<string, string>) =>
    post(app.baseUrl, `/v1/wallets/${walletId}/overdraft-limit`, { overdraftLimit }, headers);
  const refusal = (answer: HttpResult) => [answer.status, answer.body.code, answer.body.availableMinor];

  it('opens with no overdraft by default, and with the limit given; the wallet view shows it', async () => {
    const plain = await open();
    expect(plain.body.overdraftLimit).toBe('0');
    expect(refusal(await debit(plain.body.id, '1'))).toEqual([422, 'INSUFFICIENT_FUNDS', '0']);

    const lent = await open({ overdraftLimit: '500' });
    expect(lent.body.overdraftLimit).toBe('500');
    const read = await getAfter(app, `/v1/wallets/${lent.body.id}`, await logHead(app));
    expect([read.status, read.body.overdraftLimit]).toEqual([200, '500']);
  });

  it('lets a debit take available down to -limit, and refuses one cent more', async () => {
    const walletId = (await open({ overdraftLimit: '500' })).body.id;
    const first = await debit(walletId, '400');
    expect([first.status, first.body.balance.available, first.body.balance.ledger]).toEqual([201, '-400', '-400']);
    const toTheLimit = await debit(walletId, '100');
    expect([toTheLimit.status, toTheLimit.body.balance.available]).toEqual([201, '-500']);
    expect(refusal(await debit(walletId, '1'))).toEqual([422, 'INSUFFICIENT_FUNDS', '-500']);
    expect(refusal(await debit(walletId, '1', { pending: true }))).toEqual([422, 'INSUFFICIENT_FUNDS', '-500']);
    // A credit pays the overdraft back first.
    const repaid = await credit(walletId, '700');
    expect([repaid.status, repaid.body.balance.available]).toEqual([201, '200']);
    const again = await debit(walletId, '700');
    expect([again.status, again.body.balance.available]).toEqual([201, '-500']);
  });

  it('holds, increases, reversals and group legs are judged against the limit too', async () => {
    const walletId = (await open({ overdraftLimit: '300' })).body.id;
    const payee = (await open()).body.id;
    const funding = await credit(walletId, '100');

    const hold = await debit(walletId, '350', { pending: true });
    expect([hold.status, hold.body.balance.available, hold.body.balance.ledger]).toEqual([201, '-250', '100']);
    const holdPath = `/v1/wallets/${walletId}/transactions/${hold.body.transaction.id}`;
    const increased = await post(app.baseUrl, `${holdPath}/increase`, { amount: '50' });
    expect([increased.status, increased.body.balance.available]).toEqual([200, '-300']);
    expect(refusal(await post(app.baseUrl, `${holdPath}/increase`, { amount: '1' }))).toEqual([422, 'INSUFFICIENT_FUNDS', '-300']);
    const captured = await post(app.baseUrl, `${holdPath}/confirm`);
    expect([captured.status, captured.body.balance.ledger, captured.body.balance.available]).toEqual([200, '-300', '-300']);

    // Reversing the credit is a debit: it may use what is left of the limit, and no more.
    const creditPath = `/v1/wallets/${walletId}/transactions/${funding.body.transaction.id}`;
    expect(refusal(await post(app.baseUrl, `${creditPath}/reverse`, { amount: '1' }))).toEqual([422, 'INSUFFICIENT_FUNDS', '-300']);
    expect((await setLimit(walletId, '350')).status).toBe(200);
    const reversed = await post(app.baseUrl, `${creditPath}/reverse`, { amount: '50' });
    expect([reversed.status, reversed.body.balance.available]).toEqual([201, '-350']);

    const leg = await post(app.baseUrl, '/v1/transfers', { fromWalletId: walletId, toWalletId: payee, amount: '1' });
    expect([leg.status, leg.body.code, leg.body.legIndex, leg.body.availableMinor]).toEqual([422, 'INSUFFICIENT_FUNDS', 0, '-350']);
    expect((await setLimit(walletId, '450')).status).toBe(200);
    const group = await post(app.baseUrl, '/v1/transaction-groups', {
      transactions: [
        { walletId, type: 'debit', amount: '60' },
        { walletId: payee, type: 'credit', amount: '100' },
        { walletId, type: 'debit', amount: '40' },
      ],
    });
    expect([group.status, group.body.group.status]).toEqual([201, 'completed']);
    expect(refusal(await debit(walletId, '1'))).toEqual([422, 'INSUFFICIENT_FUNDS', '-450']);
  });

  it('refuses to lower a limit below what is used, and changes nothing; raising and lowering to the usage are fine', async () => {
    const walletId = (await open({ overdraftLimit: '400' })).body.id;
    const used = await debit(walletId, '300');
    expect(used.body.balance.available).toBe('-300');

    const below = await setLimit(walletId, '299');
    expect(refusal(below)).toEqual([422, 'OVERDRAFT_LIMIT_BELOW_USAGE', '-300']);
    expect(refusal(await setLimit(walletId, '0'))).toEqual([422, 'OVERDRAFT_LIMIT_BELOW_USAGE', '-300']);
    const unchanged = await getAfter(app, `/v1/wallets/${walletId}`, used.body.position);
    expect([unchanged.body.overdraftLimit, unchanged.body.version, unchanged.body.balance.available]).toEqual(['400', 2, '-300']);
    expect(refusal(await debit(walletId, '101'))).toEqual([422, 'INSUFFICIENT_FUNDS', '-300']);

    const exact = await setLimit(walletId, '300');
    expect([exact.status, exact.body.overdraftLimit, exact.body.version]).toEqual([200, '300', 3]);
    expect(refusal(await debit(walletId, '1'))).toEqual([422, 'INSUFFICIENT_FUNDS', '-300']);
    const raised = await setLimit(walletId, '1000');
    expect([raised.status, raised.body.overdraftLimit, raised.body.balance.available]).toEqual([200, '1000', '-300']);
    const spent = await debit(walletId, '700');
    expect([spent.status, spent.body.balance.available]).toEqual([201, '-1000']);
    const read = await getAfter(app, `/v1/wallets/${walletId}`, spent.body.position);
    expect([read.body.overdraftLimit, read.body.version]).toEqual(['1000', 5]);
    const feed = await get(app.baseUrl, `/v1/events?after=0&walletId=${walletId}`);
    expect((feed.body.items as { type: string }[]).map((item) => item.type)).toEqual(['WalletOpened', 'FundsDebited', 'OverdraftLimitSet', 'OverdraftLimitSet', 'FundsDebited']);
    expect((feed.body.items as { data: Record<string, unknown> }[]).map((item) => item.data.overdraftLimit)).toEqual(['400', undefined, '300', '1000', undefined]);
  });

  it('a pending debit counts as used when the limit is lowered', async () => {
    const walletId = (await open({ overdraftLimit: '200' })).body.id;
    const hold = await debit(walletId, '150', { pending: true });
    expect(refusal(await setLimit(walletId, '149'))).toEqual([422, 'OVERDRAFT_LIMIT_BELOW_USAGE', '-150']);
    expect((await post(app.baseUrl, `/v1/wallets/${walletId}/transactions/${hold.body.transaction.id}/reject`)).status).toBe(200);
    const lowered = await setLimit(walletId, '0');
    expect([lowered.status, lowered.body.overdraftLimit, lowered.body.balance.available]).toEqual([200, '0', '0']);
  });

  it('an "unlimited" system wallet goes as far negative as the books need, within the totals the service can hold', async () => {
    const system = await open({ type: 'system-card-processor', overdraftLimit: 'unlimited' });
    expect(system.body.overdraftLimit).toBe('unlimited');
    const user = (await open()).body.id;
    const funded = await post(app.baseUrl, '/v1/transfers', { fromWalletId: system.body.id, toWalletId: user, amount: '1000000000000000' });
    expect(funded.status).toBe(201);
    const [systemRead, userRead] = await Promise.all([system.body.id, user].map((id) => getAfter(app, `/v1/wallets/${id}`, funded.body.position)));
    expect([systemRead!.body.balance.ledger, systemRead!.body.overdraftLimit, userRead!.body.balance.ledger]).toEqual(['-1000000000000000', 'unlimited', '1000000000000000']);

    const deep = await debit(system.body.id, String(2n ** 63n - 1n - 10n ** 15n));
    expect([deep.status, deep.body.balance.available]).toEqual([201, String(-(2n ** 63n - 1n))]);
    const beyond = await debit(system.body.id, '1');
    expect([beyond.status, beyond.body.code]).toEqual([422, 'BALANCE_LIMIT_EXCEEDED']);
    // A system wallet may not become a limited one below what it uses.
    expect(refusal(await setLimit(system.body.id, '5000'))).toEqual([422, 'OVERDRAFT_LIMIT_BELOW_USAGE', String(-(2n ** 63n - 1n))]);
    const wallet = await open();
    const made = await setLimit(wallet.body.id, 'unlimited');
    expect([made.status, made.body.overdraftLimit]).toEqual([200, 'unlimited']);
  });

  it('the walk of docs/system-wallets.md: top-up, a retried top-up, a payout with its fee, a fee; the ledgers add up to 0', async () => {
    const system = (type: string) => open({ type, overdraftLimit: 'unlimited' }).then((opened) => opened.body.id as string);
    const [cards, payouts, fees] = [await system('system-card-processor'), await system('system-payouts'), await system('system-fees')];
    const alice = (await open({ owners: [{ ownerType: 'user', ownerRef: 'alice' }] })).body.id;
    const charge = `acme-pay:ch_${randomBytes(4).toString('hex')}`;
    const topUp = await post(app.baseUrl, '/v1/transfers', { fromWalletId: cards, toWalletId: alice, amount: '10000', description: 'card top-up', reference: charge });
    expect(topUp.status).toBe(201);
    const again = await post(app.baseUrl, '/v1/transfers', { fromWalletId: cards, toWalletId: alice, amount: '10000', reference: charge });
    expect([again.status, again.body.code, again.body.existingId]).toEqual([409, 'REFERENCE_ALREADY_USED', topUp.body.group.id]);
    const payout = await post(app.baseUrl, '/v1/transaction-groups', {
      description: 'payout to bank',
      reference: `first-bank:po_${randomBytes(4).toString('hex')}`,
      transactions: [
        { walletId: alice, type: 'debit', amount: '4050' },
        { walletId: payouts, type: 'credit', amount: '4000', description: 'payout' },
        { walletId: fees, type: 'credit', amount: '50', description: 'payout fee' },
      ],
    });
    expect([payout.status, payout.body.group.status]).toEqual([201, 'completed']);
    const fee = await post(app.baseUrl, '/v1/transfers', { fromWalletId: alice, toWalletId: fees, amount: '100', description: 'monthly fee', reference: `fee:2026-12:${alice}` });
    expect(fee.status).toBe(201);
    const ledgers = await Promise.all([cards, alice, payouts, fees].map(async (id) => (await getAfter(app, `/v1/wallets/${id}`, fee.body.position)).body.balance.ledger as string));
    expect(ledgers).toEqual(['-10000', '5850', '4000', '150']);
    expect(ledgers.reduce((sum, ledger) => sum + BigInt(ledger), 0n)).toBe(0n);
  });

  it('a key bound to an owner cannot lend: no limit at opening, none later, not even on its own wallet', async () => {
    const owner = { ownerType: 'user', ownerRef: `lender-${randomBytes(4).toString('hex')}` };
    const key = await issueKey(app.baseUrl, { name: 'owner key', scopes: ['wallets:read', 'wallets:write'], owner });
    const refused = await post(app.baseUrl, '/v1/wallets', { type: 'main', currency: 'USD', overdraftLimit: '100' }, key.headers);
    expect([refused.status, refused.body.code]).toEqual([403, 'FORBIDDEN']);
    const unlimited = await post(app.baseUrl, '/v1/wallets', { type: 'main', currency: 'USD', overdraftLimit: 'unlimited' }, key.headers);
    expect([unlimited.status, unlimited.body.code]).toEqual([403, 'FORBIDDEN']);

    const own = await post(app.baseUrl, '/v1/wallets', { type: 'main', currency: 'USD', overdraftLimit: '0' }, key.headers);
    expect([own.status, own.body.overdraftLimit]).toEqual([201, '0']);
    const later = await setLimit(own.body.id, '100', key.headers);
    expect([later.status, later.body.code]).toEqual([403, 'FORBIDDEN']);
    expect((await setLimit(own.body.id, '0', key.headers)).status).toBe(403);
    const read = await getAfter(app, `/v1/wallets/${own.body.id}`, await logHead(app));
    expect([read.body.overdraftLimit, read.body.version]).toEqual(['0', 1]);
    // The admin key may lend to the owner's wallet.
    const lent = await setLimit(own.body.id, '100');
    expect([lent.status, lent.body.overdraftLimit]).toEqual([200, '100']);
  });

  it('answers 404 for an unknown wallet, and 400 for a limit that is not one', async () => {
    const unknown = await setLimit('0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', '10');
    expect([unknown.status, unknown.body.code]).toEqual([404, 'WALLET_NOT_FOUND']);
    const walletId = (await open()).body.id;
    for (const bad of ['-1', '01', '1.5', 'Unlimited', '', '9223372036854775808']) {
      const answer = await setLimit(walletId, bad);
      expect([bad, answer.status, answer.body.code]).toEqual([bad, 400, 'VALIDATION_FAILED']);
    }
    const asNumber = await post(app.baseUrl, '/v1/wallets', { type: 'main', currency: 'USD', overdraftLimit: 100 });
    expect([asNumber.status, asNumber.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });
});
