import { T1, T2, T3, confirm, credited, opened, ownerAdded, record, reject, walletId } from '@wallet/testing';
import type { WalletCommand } from './wallet.commands';
import { decideWallet } from './wallet.decide';
import type { TransactionType, WalletEvent } from './wallet.events';
import { foldWallet } from './wallet.evolve';
import type { WalletState } from './wallet.state';
import { transactionAfter } from './wallet.transactions';

/** A wallet with no owners. */
const ownerless = { owners: [] };
const funded = foldWallet([opened(ownerless), credited('tx-0', 1000n)]);
/** The transaction these specs record. */
const order7 = { transactionId: 'tx-1', amountMinor: 400n, description: 'Order 7', metadata: { order: 7 } };
const only = (command: WalletCommand, state: WalletState): WalletEvent => {
  const events = decideWallet(command, state);
  expect(events).toHaveLength(1);
  return events[0]!;
};
const base = { transactionId: 'tx-1', walletId, amountMinor: 400n, description: 'Order 7', metadata: { order: 7 }, groupId: null, reversedMinor: 0n, reversalOf: null, reference: null };
/** How the 400 of `base` splits between held, captured and released. */
const split = (heldMinor: bigint, capturedMinor: bigint, releasedMinor: bigint) => ({ heldMinor, capturedMinor, releasedMinor });

describe('transactionAfter', () => {
  it.each<TransactionType>(['credit', 'debit'])('describes a %s confirmed at once', (transactionType) => {
    expect(transactionAfter(funded, only(record({ ...order7, transactionType, pending: false }), funded))).toEqual({
      ...base,
      ...split(0n, 400n, 0n),
      transactionType,
      status: 'confirmed',
      createdAt: T1.toISOString(),
      holdTimestamp: null,
      confirmRejectTimestamp: T1.toISOString(),
      rejectReason: null,
      expiresAt: null,
    });
  });

  it.each<[TransactionType, Date | null]>([
    ['debit', T2],
    ['credit', null],
  ])('describes a pending %s (expiresAt %p)', (transactionType, expiresAt) => {
    expect(transactionAfter(funded, only(record({ ...order7, transactionType, pending: true, expiresAt }), funded))).toEqual({
      ...base,
      ...split(400n, 0n, 0n),
      transactionType,
      status: 'pending',
      createdAt: T1.toISOString(),
      holdTimestamp: T1.toISOString(),
      confirmRejectTimestamp: null,
      rejectReason: null,
      expiresAt: expiresAt?.toISOString() ?? null,
    });
  });

  describe('settling a hold', () => {
    const holding = foldWallet([only(record({ ...order7, transactionType: 'debit', pending: true, expiresAt: T3 }), funded)], funded);
    const pending = {
      ...base,
      transactionType: 'debit',
      createdAt: T1.toISOString(),
      holdTimestamp: T1.toISOString(),
      expiresAt: T3.toISOString(),
    };

    it('describes a confirmed hold', () => {
      const event = only(confirm('tx-1', { now: T2 }), holding);
      expect(transactionAfter(holding, event)).toEqual({
        ...pending,
        ...split(0n, 400n, 0n),
        status: 'confirmed',
        confirmRejectTimestamp: T2.toISOString(),
        rejectReason: null,
      });
    });

    it.each(['Insufficient stock', null])('describes a rejected hold with reason %p', (reason) => {
      const event = only(reject('tx-1', { reason, now: T2 }), holding);
      expect(transactionAfter(holding, event)).toEqual({
        ...pending,
        ...split(0n, 0n, 400n),
        status: 'rejected',
        confirmRejectTimestamp: T2.toISOString(),
        rejectReason: reason,
      });
    });

    it('throws when the state before does not hold the transaction', () => {
      const event = only(confirm('tx-1', { now: T2 }), holding);
      expect(() => transactionAfter(funded, event)).toThrow('HoldConfirmed for tx-1, which is not held in wallet wallet-1.');
    });
  });

  it('returns undefined for events that touch no transaction', () => {
    expect(transactionAfter(funded, opened(ownerless))).toBeUndefined();
    const added = ownerAdded('u-1', { addedAt: T1.toISOString() });
    expect(transactionAfter(funded, added)).toBeUndefined();
  });
});
