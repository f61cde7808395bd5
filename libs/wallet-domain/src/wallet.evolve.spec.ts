import { T0, T1, T2, addWalletOwner, confirm, confirmed, credit, credited, debit, held, opened, reject, walletDeciderSpec, walletId } from '@wallet/testing';
import type { TransactionType } from './wallet.events';
import { evolveWallet, foldWallet } from './wallet.evolve';
import { type WalletState, balanceOf, initialWalletState } from './wallet.state';

const spec = walletDeciderSpec();

/** The wallet these specs open: a gold-tier USD wallet. */
const goldTier = { metadata: { tier: 'gold' } };

/** The holds these specs place: described, with metadata, placed at T1 and expiring at T2. */
const holdDetails = { description: 'hold', metadata: { k: 1 }, recordedAt: T1.toISOString(), expiresAt: T2.toISOString() };

/** A wallet with 1000 on its ledger. */
const funded = [opened(goldTier), credited('tx-0', 1000n)];

describe('evolveWallet', () => {
  it('opens the wallet, stamping each owner with the opening time', () => {
    const state = evolveWallet(initialWalletState, opened(goldTier));
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
    const state = spec.given([opened(goldTier)]).when(addWalletOwner('o-1', { ownerType: 'org', now: T2 })).thenState();
    expect(state.owners).toEqual([
      { ownerType: 'user', ownerRef: 'u-1', addedAt: T0.toISOString() },
      { ownerType: 'org', ownerRef: 'o-1', addedAt: T2.toISOString() },
    ]);
    expect(state.updatedAt).toBe(T2.toISOString());
    expect(state.createdAt).toBe(T0.toISOString());
  });

  it('raises the ledger and available on a confirmed credit', () => {
    const state = spec.given(funded).when(credit(250n)).thenState();
    expect(balanceOf(state)).toEqual({ ledgerMinor: 1250n, availableMinor: 1250n, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n });
    expect(state.settled.get('tx-new')).toEqual({ transactionType: 'credit', capturedMinor: 250n, reversedMinor: 0n, groupId: null, reversalOf: null });
    expect(state.updatedAt).toBe(T1.toISOString());
  });

  it('lowers the ledger and available on a confirmed debit', () => {
    const state = spec.given(funded).when(debit(250n)).thenState();
    expect(balanceOf(state)).toEqual({ ledgerMinor: 750n, availableMinor: 750n, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n });
  });

  it('a pending debit lowers available but not the ledger', () => {
    const state = spec.given(funded).when(debit(300n, { pending: true })).thenState();
    expect(balanceOf(state)).toEqual({ ledgerMinor: 1000n, availableMinor: 700n, pendingDebitsMinor: 300n, pendingCreditsMinor: 0n });
    expect(state.holds.get('tx-new')).toMatchObject({ transactionType: 'debit', amountMinor: 300n, createdAt: T1.toISOString() });
    expect(state.settled.has('tx-new')).toBe(false);
  });

  it('a pending credit raises neither available nor the ledger', () => {
    const state = spec.given(funded).when(credit(300n, { pending: true })).thenState();
    expect(balanceOf(state)).toEqual({ ledgerMinor: 1000n, availableMinor: 1000n, pendingDebitsMinor: 0n, pendingCreditsMinor: 300n });
  });

  it('confirming a pending debit moves it from pending to the ledger, available unchanged', () => {
    const state = spec.given([...funded, held('tx-1', 'debit', 300n, holdDetails)]).when(confirm('tx-1')).thenState();
    expect(balanceOf(state)).toEqual({ ledgerMinor: 700n, availableMinor: 700n, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n });
    expect(state.holds.has('tx-1')).toBe(false);
    expect(state.settled.get('tx-1')).toMatchObject({ transactionType: 'debit', capturedMinor: 300n, reversedMinor: 0n });
  });

  it('confirming a pending credit raises the ledger and available', () => {
    const state = spec.given([...funded, held('tx-1', 'credit', 300n, holdDetails)]).when(confirm('tx-1')).thenState();
    expect(balanceOf(state)).toEqual({ ledgerMinor: 1300n, availableMinor: 1300n, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n });
    expect(state.holds.has('tx-1')).toBe(false);
  });

  it.each<TransactionType>(['credit', 'debit'])('rejecting a pending %s releases it and leaves the ledger alone', (type) => {
    const state = spec.given([...funded, held('tx-1', type, 300n, holdDetails)]).when(reject('tx-1')).thenState();
    expect(balanceOf(state)).toEqual({ ledgerMinor: 1000n, availableMinor: 1000n, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n });
    expect(state.holds.size).toBe(0);
    expect(state.settled.get('tx-1')).toMatchObject({ transactionType: type, capturedMinor: 0n, reversedMinor: 0n });
    expect(state.updatedAt).toBe(T1.toISOString());
  });

  it('settles one hold among several, keeping the others pending', () => {
    const history = [
      ...funded,
      held('tx-1', 'debit', 100n, holdDetails),
      held('tx-2', 'debit', 200n, holdDetails),
      held('tx-3', 'credit', 50n, holdDetails),
    ];
    const state = spec.given(history).when(confirm('tx-2')).thenState();
    expect(balanceOf(state)).toEqual({ ledgerMinor: 800n, availableMinor: 700n, pendingDebitsMinor: 100n, pendingCreditsMinor: 50n });
    expect([...state.holds.keys()].sort()).toEqual(['tx-1', 'tx-3']);
  });

  it('version counts the events folded', () => {
    expect(initialWalletState.version).toBe(0);
    expect(foldWallet([...funded, held('tx-1', 'debit', 1n, holdDetails)]).version).toBe(3);
    expect(spec.given(funded).when(credit(1n)).thenState().version).toBe(3);
    expect(
      spec.given([opened(goldTier)]).when(addWalletOwner('u-1')).thenState()
        .version,
    ).toBe(1);
  });

  it('never changes an earlier state', () => {
    const before: WalletState = foldWallet([...funded, held('tx-1', 'debit', 300n, holdDetails)]);
    const after = foldWallet([confirmed('tx-1', 'debit', 300n, { confirmedAt: T2.toISOString() })], before);
    expect(after.holds.has('tx-1')).toBe(false);
    expect(before.holds.has('tx-1')).toBe(true);
    expect(before.settled.has('tx-1')).toBe(false);
    expect(after.settled.has('tx-1')).toBe(true);
    expect(balanceOf(before)).toEqual({ ledgerMinor: 1000n, availableMinor: 700n, pendingDebitsMinor: 300n, pendingCreditsMinor: 0n });
    expect(initialWalletState).toMatchObject({ exists: false, version: 0, ledgerMinor: 0n });
    expect(initialWalletState.holds.size).toBe(0);
  });

  it('foldWallet equals reducing with evolve', () => {
    const events = [...funded, held('tx-1', 'debit', 300n, holdDetails), held('tx-2', 'credit', 30n, holdDetails)];
    expect(foldWallet(events)).toEqual(events.reduce(evolveWallet, initialWalletState));
  });
});
