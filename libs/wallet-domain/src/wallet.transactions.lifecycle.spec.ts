import { T0, T1, T2, captured, confirmed, credited, debited, held, increased, opened, ownerAdded, rejected, reversed, walletId } from '@wallet/testing';
import type { WalletEvent } from './wallet.events';
import { foldWallet } from './wallet.evolve';
import { type TransactionChange, type TransactionSnapshot, changedTransaction, endedStatus, recordedTransaction, transactionAfter, transactionChangeOf } from './wallet.transactions';

const iso = (date: Date): string => date.toISOString();
const at = iso(T1);
/** A change that moves no amount. */
const none = { amountMinor: 0n, heldMinor: 0n, capturedMinor: 0n, releasedMinor: 0n, reversedMinor: 0n };

describe('transactionChangeOf', () => {
  it.each<WalletEvent>([opened(), ownerAdded('u-2'), credited('tx-1', 1n), debited('tx-1', 1n), held('tx-1', 'debit', 1n)])(
    'changes no earlier transaction on $type',
    (event) => {
      expect(transactionChangeOf(event)).toBeUndefined();
    },
  );

  it.each<[string, WalletEvent, TransactionChange]>([
    ['an increase', increased('tx-1', 'debit', 50n, { increasedAt: at }), { ...none, transactionId: 'tx-1', amountMinor: 50n, heldMinor: 50n, ended: null, at }],
    ['a non-final capture', captured('tx-1', 'debit', 120n, { capturedAt: at }), { ...none, transactionId: 'tx-1', heldMinor: -120n, capturedMinor: 120n, ended: null, at }],
    [
      'a final capture',
      captured('tx-1', 'credit', 120n, { releasedMinor: 80n, final: true, capturedAt: at }),
      { ...none, transactionId: 'tx-1', heldMinor: -200n, capturedMinor: 120n, releasedMinor: 80n, ended: { at, rejectReason: null }, at },
    ],
    ['a confirm', confirmed('tx-1', 'debit', 70n, { confirmedAt: at }), { ...none, transactionId: 'tx-1', heldMinor: -70n, capturedMinor: 70n, ended: { at, rejectReason: null }, at }],
    ['a reject', rejected('tx-1', 'debit', 70n, { reason: 'no', rejectedAt: at }), { ...none, transactionId: 'tx-1', heldMinor: -70n, releasedMinor: 70n, ended: { at, rejectReason: 'no' }, at }],
    ['a reversal, on its original', reversed('rev-1', 'tx-1', 'credit', 30n, { recordedAt: at }), { ...none, transactionId: 'tx-1', reversedMinor: 30n, ended: null, at }],
  ])('describes %s', (_label, event, change) => {
    expect(transactionChangeOf(event)).toEqual(change);
  });
});

describe('changedTransaction', () => {
  const pending: TransactionSnapshot = recordedTransaction(held('tx-1', 'debit', 300n, { expiresAt: iso(T2) }));
  const change = (event: WalletEvent) => transactionChangeOf(event)!;

  it('adds the amounts and keeps a hold pending until a change ends it', () => {
    const after = changedTransaction(pending, change(captured('tx-1', 'debit', 120n, { capturedAt: at })));
    expect(after).toEqual({ ...pending, heldMinor: 180n, capturedMinor: 120n });
  });

  it('an ended hold that captured something is confirmed, even when a reject ends it', () => {
    const partly = changedTransaction(pending, change(captured('tx-1', 'debit', 120n)));
    const after = changedTransaction(partly, change(rejected('tx-1', 'debit', 180n, { reason: 'cancelled', rejectedAt: at })));
    expect(after).toMatchObject({ status: 'confirmed', amountMinor: 300n, heldMinor: 0n, capturedMinor: 120n, releasedMinor: 180n, rejectReason: 'cancelled', confirmRejectTimestamp: at });
  });

  it('an ended hold that captured nothing is rejected', () => {
    expect(changedTransaction(pending, change(rejected('tx-1', 'debit', 300n, { rejectedAt: at })))).toMatchObject({ status: 'rejected', releasedMinor: 300n, capturedMinor: 0n });
    expect(endedStatus(0n)).toBe('rejected');
    expect(endedStatus(1n)).toBe('confirmed');
  });

  it('a reversal raises only the reversed amount of a confirmed transaction', () => {
    const paid = recordedTransaction(debited('tx-1', 300n));
    const after = changedTransaction(paid, change(reversed('rev-1', 'tx-1', 'credit', 100n, { recordedAt: at })));
    expect(after).toEqual({ ...paid, reversedMinor: 100n });
  });

  it('keeps amount = held + captured + released through every change', () => {
    const events = [increased('tx-1', 'debit', 50n), captured('tx-1', 'debit', 20n), captured('tx-1', 'debit', 30n), captured('tx-1', 'debit', 100n, { releasedMinor: 200n, final: true })];
    let transaction = pending;
    for (const event of events) {
      transaction = changedTransaction(transaction, change(event));
      expect(transaction.amountMinor).toBe(transaction.heldMinor + transaction.capturedMinor + transaction.releasedMinor);
    }
    expect(transaction).toMatchObject({ status: 'confirmed', amountMinor: 350n, heldMinor: 0n, capturedMinor: 150n, releasedMinor: 200n });
  });
});

describe('transactionAfter: captures, increases and reversals', () => {
  const holding = foldWallet([opened(), credited('tx-0', 1000n), held('tx-1', 'debit', 300n, { description: 'Order 7', recordedAt: iso(T0) }), captured('tx-1', 'debit', 120n)]);
  const base = { transactionId: 'tx-1', walletId, transactionType: 'debit', description: 'Order 7', metadata: {}, groupId: null, reversedMinor: 0n, reversalOf: null, reference: null, createdAt: iso(T0), holdTimestamp: iso(T0), expiresAt: null };

  it('describes a hold raised after a partial capture', () => {
    expect(transactionAfter(holding, increased('tx-1', 'debit', 50n, { increasedAt: at }))).toEqual({
      ...base, amountMinor: 350n, heldMinor: 230n, capturedMinor: 120n, releasedMinor: 0n, status: 'pending', confirmRejectTimestamp: null, rejectReason: null,
    });
  });

  it('describes a final capture after an earlier partial one', () => {
    expect(transactionAfter(holding, captured('tx-1', 'debit', 30n, { releasedMinor: 150n, final: true, capturedAt: at }))).toEqual({
      ...base, amountMinor: 300n, heldMinor: 0n, capturedMinor: 150n, releasedMinor: 150n, status: 'confirmed', confirmRejectTimestamp: at, rejectReason: null,
    });
  });

  it('describes a reversal as the new transaction that names its original, with its own reference', () => {
    const event = reversed('rev-1', 'tx-0', 'debit', 400n, { description: 'Refund', recordedAt: at, reference: 'refund-7' });
    expect(transactionAfter(holding, event)).toEqual({
      transactionId: 'rev-1', walletId, transactionType: 'debit', amountMinor: 400n, heldMinor: 0n, capturedMinor: 400n, releasedMinor: 0n, reversedMinor: 0n,
      reversalOf: 'tx-0', reference: 'refund-7', status: 'confirmed', description: 'Refund', metadata: {}, groupId: null, createdAt: at, holdTimestamp: null,
      confirmRejectTimestamp: at, rejectReason: null, expiresAt: null,
    });
  });
});
