import { T1, T2, captured, confirmed, credited, held, increased, opened, rejected, reversed } from '@wallet/testing';
import { EXPIRED_REASON } from './group.commands';
import type { WalletEvent } from './wallet.events';
import { evolveWallet, foldWallet } from './wallet.evolve';
import { balanceOf } from './wallet.state';

const iso = (date: Date): string => date.toISOString();

/** A wallet with 1000 on its ledger holding tx-1, a debit of 300. */
const holding = [opened(), credited('tx-0', 1000n), held('tx-1', 'debit', 300n)];

describe('evolveWallet: captures, increases and reversals', () => {
  it('an increase raises the hold\'s amount and what it holds, and pending debits with them', () => {
    const state = foldWallet([...holding, increased('tx-1', 'debit', 50n, { increasedAt: iso(T1) })]);
    expect(state.holds.get('tx-1')).toMatchObject({ amountMinor: 350n, heldMinor: 350n, capturedMinor: 0n, releasedMinor: 0n });
    expect(balanceOf(state)).toEqual({ ledgerMinor: 1000n, availableMinor: 650n, pendingDebitsMinor: 350n, pendingCreditsMinor: 0n });
    expect(state.updatedAt).toBe(iso(T1));
  });

  it('a non-final capture moves the captured part from held to captured and keeps the hold', () => {
    const state = foldWallet([...holding, captured('tx-1', 'debit', 120n)]);
    expect(state.holds.get('tx-1')).toMatchObject({ amountMinor: 300n, heldMinor: 180n, capturedMinor: 120n, releasedMinor: 0n });
    expect(state.settled.has('tx-1')).toBe(false);
    expect(balanceOf(state)).toEqual({ ledgerMinor: 880n, availableMinor: 700n, pendingDebitsMinor: 180n, pendingCreditsMinor: 0n });
  });

  it('a final capture ends the hold: the transaction is settled with what it captured', () => {
    const state = foldWallet([...holding, captured('tx-1', 'debit', 120n, { releasedMinor: 180n, final: true })]);
    expect(state.holds.has('tx-1')).toBe(false);
    expect(state.settled.get('tx-1')).toEqual({ transactionType: 'debit', capturedMinor: 120n, reversedMinor: 0n, groupId: null, reversalOf: null });
    expect(balanceOf(state)).toEqual({ ledgerMinor: 880n, availableMinor: 880n, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n });
  });

  it.each<[string, WalletEvent, bigint]>([
    ['a confirm of the rest', confirmed('tx-1', 'debit', 230n), 350n],
    ['a reject of the rest', rejected('tx-1', 'debit', 230n), 120n],
    ['an expiry of the rest', rejected('tx-1', 'debit', 230n, { reason: EXPIRED_REASON }), 120n],
  ])('after an increase and a partial capture, %s settles the hold with everything captured', (_label, ending, capturedMinor) => {
    const state = foldWallet([...holding, increased('tx-1', 'debit', 50n), captured('tx-1', 'debit', 120n), ending]);
    expect(state.holds.size).toBe(0);
    expect(state.settled.get('tx-1')).toMatchObject({ capturedMinor, reversedMinor: 0n });
    expect(balanceOf(state)).toEqual({ ledgerMinor: 1000n - capturedMinor, availableMinor: 1000n - capturedMinor, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n });
    expect(state.expiredTransactionIds.has('tx-1')).toBe(ending.type === 'HoldRejected' && ending.data.reason === EXPIRED_REASON);
  });

  it('a partial capture of a credit raises the ledger and lowers pending credits', () => {
    const state = foldWallet([opened(), held('tx-1', 'credit', 300n), captured('tx-1', 'credit', 100n)]);
    expect(balanceOf(state)).toEqual({ ledgerMinor: 100n, availableMinor: 100n, pendingDebitsMinor: 0n, pendingCreditsMinor: 200n });
  });

  it('a reversal is a new settled transaction and raises the original\'s reversed amount', () => {
    const paid = [opened(), credited('tx-0', 1000n), held('tx-1', 'debit', 300n), confirmed('tx-1', 'debit', 300n)];
    const state = foldWallet([...paid, reversed('rev-1', 'tx-1', 'credit', 100n, { recordedAt: iso(T2) }), reversed('rev-2', 'tx-1', 'credit', 50n)]);
    expect(state.settled.get('tx-1')).toEqual({ transactionType: 'debit', capturedMinor: 300n, reversedMinor: 150n, groupId: null, reversalOf: null });
    expect(state.settled.get('rev-1')).toEqual({ transactionType: 'credit', capturedMinor: 100n, reversedMinor: 0n, groupId: null, reversalOf: 'tx-1' });
    expect(balanceOf(state)).toEqual({ ledgerMinor: 850n, availableMinor: 850n, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n });
  });

  it('a reversal of a credit lowers the ledger', () => {
    const state = foldWallet([opened(), credited('tx-0', 1000n), reversed('rev-1', 'tx-0', 'debit', 400n)]);
    expect(balanceOf(state).ledgerMinor).toBe(600n);
    expect(state.settled.get('tx-0')).toMatchObject({ reversedMinor: 400n });
  });

  it('never changes an earlier state', () => {
    const before = foldWallet([...holding, captured('tx-1', 'debit', 120n)]);
    const after = evolveWallet(before, increased('tx-1', 'debit', 10n));
    expect(after.holds.get('tx-1')).toMatchObject({ heldMinor: 190n });
    expect(before.holds.get('tx-1')).toMatchObject({ heldMinor: 180n });
    const paid = foldWallet([opened(), credited('tx-0', 1000n)]);
    evolveWallet(paid, reversed('rev-1', 'tx-0', 'debit', 1n));
    expect(paid.settled.get('tx-0')).toMatchObject({ reversedMinor: 0n });
  });

  it('throws on a change to a transaction that is not held', () => {
    expect(() => foldWallet([opened(), increased('tx-1', 'debit', 1n)])).toThrow('HoldIncreased for tx-1, which is not held in wallet wallet-1.');
  });
});
