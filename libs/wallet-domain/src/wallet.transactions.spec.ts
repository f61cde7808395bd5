import type { RecordTransaction, WalletCommand } from './wallet.commands';
import { decide } from './wallet.decide';
import type { TransactionType, WalletEvent } from './wallet.events';
import { foldWallet } from './wallet.evolve';
import type { WalletState } from './wallet.state';
import { transactionAfter } from './wallet.transactions';

const walletId = 'wallet-1';
const T0 = new Date('2025-01-01T00:00:00.000Z');
const T1 = new Date('2025-01-01T01:00:00.000Z');
const T2 = new Date('2025-01-01T02:00:00.000Z');
const T3 = new Date('2025-01-01T03:00:00.000Z');

const opened: WalletEvent = {
  type: 'WalletOpened',
  data: { walletId, walletType: 'personal', currency: 'USD', owners: [], metadata: {}, openedAt: T0.toISOString() },
};
const funded = foldWallet([
  opened,
  { type: 'FundsCredited', data: { walletId, transactionId: 'tx-0', amountMinor: 1000n, description: null, metadata: {}, groupId: null, recordedAt: T0.toISOString() } },
]);
const record = (transactionType: TransactionType, pending: boolean, expiresAt: Date | null = null): RecordTransaction => ({
  type: 'RecordTransaction',
  walletId,
  transactionId: 'tx-1',
  transactionType,
  amountMinor: 400n,
  description: 'Order 7',
  metadata: { order: 7 },
  pending,
  expiresAt,
  now: T1,
});
const only = (command: WalletCommand, state: WalletState): WalletEvent => {
  const events = decide(command, state);
  expect(events).toHaveLength(1);
  return events[0]!;
};
const base = { transactionId: 'tx-1', walletId, amountMinor: 400n, description: 'Order 7', metadata: { order: 7 }, groupId: null };

describe('transactionAfter', () => {
  it.each<TransactionType>(['credit', 'debit'])('describes a %s confirmed at once', (transactionType) => {
    expect(transactionAfter(funded, only(record(transactionType, false), funded))).toEqual({
      ...base,
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
    expect(transactionAfter(funded, only(record(transactionType, true, expiresAt), funded))).toEqual({
      ...base,
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
    const holding = foldWallet([only(record('debit', true, T3), funded)], funded);
    const pending = {
      ...base,
      transactionType: 'debit',
      createdAt: T1.toISOString(),
      holdTimestamp: T1.toISOString(),
      expiresAt: T3.toISOString(),
    };

    it('describes a confirmed hold', () => {
      const event = only({ type: 'ConfirmTransaction', walletId, transactionId: 'tx-1', now: T2 }, holding);
      expect(transactionAfter(holding, event)).toEqual({
        ...pending,
        status: 'confirmed',
        confirmRejectTimestamp: T2.toISOString(),
        rejectReason: null,
      });
    });

    it.each(['Insufficient stock', null])('describes a rejected hold with reason %p', (reason) => {
      const event = only({ type: 'RejectTransaction', walletId, transactionId: 'tx-1', reason, now: T2 }, holding);
      expect(transactionAfter(holding, event)).toEqual({
        ...pending,
        status: 'rejected',
        confirmRejectTimestamp: T2.toISOString(),
        rejectReason: reason,
      });
    });

    it('throws when the state before does not hold the transaction', () => {
      const event = only({ type: 'ConfirmTransaction', walletId, transactionId: 'tx-1', now: T2 }, holding);
      expect(() => transactionAfter(funded, event)).toThrow('HoldConfirmed for tx-1, which is not held in wallet wallet-1.');
    });
  });

  it('returns undefined for events that touch no transaction', () => {
    expect(transactionAfter(funded, opened)).toBeUndefined();
    const added: WalletEvent = { type: 'WalletOwnerAdded', data: { walletId, ownerType: 'user', ownerRef: 'u-1', addedAt: T1.toISOString() } };
    expect(transactionAfter(funded, added)).toBeUndefined();
  });
});
