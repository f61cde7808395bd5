import { deciderSpec } from '@wallet/testing';
import type { RecordTransaction, WalletCommand } from './wallet.commands';
import { decide } from './wallet.decide';
import type { TransactionType, WalletEvent } from './wallet.events';
import { evolve, foldWallet } from './wallet.evolve';
import { type WalletState, balanceOf, initialState } from './wallet.state';

const spec = deciderSpec({ decide, evolve, initialState });
const walletId = 'wallet-1';
const T0 = new Date('2025-01-01T00:00:00.000Z');
const T1 = new Date('2025-01-01T01:00:00.000Z');
const T2 = new Date('2025-01-01T02:00:00.000Z');

const opened = (): WalletEvent => ({
  type: 'WalletOpened',
  data: {
    walletId,
    walletType: 'personal',
    currency: 'USD',
    owners: [{ ownerType: 'user', ownerRef: 'u-1' }],
    metadata: { tier: 'gold' },
    openedAt: T0.toISOString(),
  },
});
const credited = (transactionId: string, amountMinor: bigint): WalletEvent => ({
  type: 'FundsCredited',
  data: { walletId, transactionId, amountMinor, description: null, metadata: {}, groupId: null, recordedAt: T0.toISOString() },
});
const held = (transactionId: string, transactionType: TransactionType, amountMinor: bigint): WalletEvent => ({
  type: 'HoldPlaced',
  data: {
    walletId,
    transactionId,
    transactionType,
    amountMinor,
    description: 'hold',
    metadata: { k: 1 },
    groupId: null,
    recordedAt: T1.toISOString(),
    expiresAt: T2.toISOString(),
  },
});
const record = (transactionType: TransactionType, amountMinor: bigint, pending: boolean): RecordTransaction => ({
  type: 'RecordTransaction',
  walletId,
  transactionId: 'tx-new',
  transactionType,
  amountMinor,
  description: null,
  metadata: {},
  pending,
  expiresAt: null,
  now: T1,
});
const confirm = (transactionId: string): WalletCommand => ({ type: 'ConfirmTransaction', walletId, transactionId, now: T1 });
const reject = (transactionId: string): WalletCommand => ({
  type: 'RejectTransaction',
  walletId,
  transactionId,
  reason: null,
  now: T1,
});

/** A wallet with 1000 on its ledger. */
const funded = [opened(), credited('tx-0', 1000n)];

describe('evolve', () => {
  it('opens the wallet, stamping each owner with the opening time', () => {
    const state = evolve(initialState, opened());
    expect(state).toMatchObject({
      exists: true,
      walletId,
      walletType: 'personal',
      currency: 'USD',
      owners: [{ ownerType: 'user', ownerRef: 'u-1', addedAt: T0.toISOString() }],
      metadata: { tier: 'gold' },
      createdAt: T0.toISOString(),
      updatedAt: T0.toISOString(),
      version: 1,
    });
    expect(balanceOf(state)).toEqual({ ledgerMinor: 0n, availableMinor: 0n, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n });
  });

  it('appends an added owner and moves updatedAt', () => {
    const state = spec.given([opened()]).when({ type: 'AddWalletOwner', walletId, ownerType: 'org', ownerRef: 'o-1', now: T2 }).thenState();
    expect(state.owners).toEqual([
      { ownerType: 'user', ownerRef: 'u-1', addedAt: T0.toISOString() },
      { ownerType: 'org', ownerRef: 'o-1', addedAt: T2.toISOString() },
    ]);
    expect(state.updatedAt).toBe(T2.toISOString());
    expect(state.createdAt).toBe(T0.toISOString());
  });

  it('raises the ledger and available on a confirmed credit', () => {
    const state = spec.given(funded).when(record('credit', 250n, false)).thenState();
    expect(balanceOf(state)).toEqual({ ledgerMinor: 1250n, availableMinor: 1250n, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n });
    expect(state.settledTransactionIds.has('tx-new')).toBe(true);
    expect(state.updatedAt).toBe(T1.toISOString());
  });

  it('lowers the ledger and available on a confirmed debit', () => {
    const state = spec.given(funded).when(record('debit', 250n, false)).thenState();
    expect(balanceOf(state)).toEqual({ ledgerMinor: 750n, availableMinor: 750n, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n });
  });

  it('a pending debit lowers available but not the ledger', () => {
    const state = spec.given(funded).when(record('debit', 300n, true)).thenState();
    expect(balanceOf(state)).toEqual({ ledgerMinor: 1000n, availableMinor: 700n, pendingDebitsMinor: 300n, pendingCreditsMinor: 0n });
    expect(state.holds.get('tx-new')).toMatchObject({ transactionType: 'debit', amountMinor: 300n, createdAt: T1.toISOString() });
    expect(state.settledTransactionIds.has('tx-new')).toBe(false);
  });

  it('a pending credit raises neither available nor the ledger', () => {
    const state = spec.given(funded).when(record('credit', 300n, true)).thenState();
    expect(balanceOf(state)).toEqual({ ledgerMinor: 1000n, availableMinor: 1000n, pendingDebitsMinor: 0n, pendingCreditsMinor: 300n });
  });

  it('confirming a pending debit moves it from pending to the ledger, available unchanged', () => {
    const state = spec.given([...funded, held('tx-1', 'debit', 300n)]).when(confirm('tx-1')).thenState();
    expect(balanceOf(state)).toEqual({ ledgerMinor: 700n, availableMinor: 700n, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n });
    expect(state.holds.has('tx-1')).toBe(false);
    expect(state.settledTransactionIds.has('tx-1')).toBe(true);
  });

  it('confirming a pending credit raises the ledger and available', () => {
    const state = spec.given([...funded, held('tx-1', 'credit', 300n)]).when(confirm('tx-1')).thenState();
    expect(balanceOf(state)).toEqual({ ledgerMinor: 1300n, availableMinor: 1300n, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n });
    expect(state.holds.has('tx-1')).toBe(false);
  });

  it.each<TransactionType>(['credit', 'debit'])('rejecting a pending %s releases it and leaves the ledger alone', (type) => {
    const state = spec.given([...funded, held('tx-1', type, 300n)]).when(reject('tx-1')).thenState();
    expect(balanceOf(state)).toEqual({ ledgerMinor: 1000n, availableMinor: 1000n, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n });
    expect(state.holds.size).toBe(0);
    expect(state.settledTransactionIds.has('tx-1')).toBe(true);
    expect(state.updatedAt).toBe(T1.toISOString());
  });

  it('settles one hold among several, keeping the others pending', () => {
    const history = [...funded, held('tx-1', 'debit', 100n), held('tx-2', 'debit', 200n), held('tx-3', 'credit', 50n)];
    const state = spec.given(history).when(confirm('tx-2')).thenState();
    expect(balanceOf(state)).toEqual({ ledgerMinor: 800n, availableMinor: 700n, pendingDebitsMinor: 100n, pendingCreditsMinor: 50n });
    expect([...state.holds.keys()].sort()).toEqual(['tx-1', 'tx-3']);
  });

  it('version counts the events folded', () => {
    expect(initialState.version).toBe(0);
    expect(foldWallet([...funded, held('tx-1', 'debit', 1n)]).version).toBe(3);
    expect(spec.given(funded).when(record('credit', 1n, false)).thenState().version).toBe(3);
    expect(
      spec.given([opened()]).when({ type: 'AddWalletOwner', walletId, ownerType: 'user', ownerRef: 'u-1', now: T1 }).thenState()
        .version,
    ).toBe(1);
  });

  it('never changes an earlier state', () => {
    const before: WalletState = foldWallet([...funded, held('tx-1', 'debit', 300n)]);
    const after = foldWallet([{ type: 'HoldConfirmed', data: { walletId, transactionId: 'tx-1', transactionType: 'debit', amountMinor: 300n, confirmedAt: T2.toISOString() } }], before);
    expect(after.holds.has('tx-1')).toBe(false);
    expect(before.holds.has('tx-1')).toBe(true);
    expect(before.settledTransactionIds.has('tx-1')).toBe(false);
    expect(balanceOf(before)).toEqual({ ledgerMinor: 1000n, availableMinor: 700n, pendingDebitsMinor: 300n, pendingCreditsMinor: 0n });
    expect(initialState).toMatchObject({ exists: false, version: 0, ledgerMinor: 0n });
    expect(initialState.holds.size).toBe(0);
  });

  it('foldWallet equals reducing with evolve', () => {
    const events = [...funded, held('tx-1', 'debit', 300n), held('tx-2', 'credit', 30n)];
    expect(foldWallet(events)).toEqual(events.reduce(evolve, initialState));
  });
});
