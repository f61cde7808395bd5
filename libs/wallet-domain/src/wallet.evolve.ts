import { assertNever } from './domain-error';
import type { WalletEvent } from './wallet.events';
import { type WalletState, initialState } from './wallet.state';

/** Applies one event to a wallet's state. Pure: returns a new state, never mutates. */
export function evolve(state: WalletState, event: WalletEvent): WalletState {
  const next = applyEvent(state, event);
  return { ...next, version: state.version + 1 };
}

/** Folds a whole stream, oldest event first. */
export function foldWallet(events: Iterable<WalletEvent>, from: WalletState = initialState): WalletState {
  let state = from;
  for (const event of events) state = evolve(state, event);
  return state;
}

function applyEvent(state: WalletState, event: WalletEvent): WalletState {
  switch (event.type) {
    case 'WalletOpened': {
      const { walletId, walletType, currency, owners, metadata, openedAt } = event.data;
      const withTime = owners.map((owner) => ({ ...owner, addedAt: openedAt }));
      return { ...state, exists: true, walletId, walletType, currency, owners: withTime, metadata, createdAt: openedAt, updatedAt: openedAt };
    }
    case 'WalletOwnerAdded': {
      const { ownerType, ownerRef, addedAt } = event.data;
      return { ...state, owners: [...state.owners, { ownerType, ownerRef, addedAt }], updatedAt: addedAt };
    }
    case 'FundsCredited':
      return settledAtOnce(state, event.data.transactionId, event.data.amountMinor, event.data.recordedAt);
    case 'FundsDebited':
      return settledAtOnce(state, event.data.transactionId, -event.data.amountMinor, event.data.recordedAt);
    case 'HoldPlaced': {
      const { transactionId, transactionType, amountMinor, description, metadata, groupId, recordedAt, expiresAt } = event.data;
      const hold = { transactionId, transactionType, amountMinor, description, metadata, groupId, createdAt: recordedAt, expiresAt };
      return {
        ...withPending(state, transactionType, amountMinor),
        holds: state.holds.set(transactionId, hold),
        updatedAt: recordedAt,
      };
    }
    case 'HoldConfirmed': {
      const { transactionId, transactionType, amountMinor, confirmedAt } = event.data;
      const ledgerChange = transactionType === 'credit' ? amountMinor : -amountMinor;
      return {
        ...releaseHold(withPending(state, transactionType, -amountMinor), transactionId),
        ledgerMinor: state.ledgerMinor + ledgerChange,
        updatedAt: confirmedAt,
      };
    }
    case 'HoldRejected': {
      const { transactionId, transactionType, amountMinor, rejectedAt } = event.data;
      return { ...releaseHold(withPending(state, transactionType, -amountMinor), transactionId), updatedAt: rejectedAt };
    }
    default:
      return assertNever(event);
  }
}

function settledAtOnce(state: WalletState, transactionId: string, ledgerChange: bigint, at: string): WalletState {
  return {
    ...state,
    ledgerMinor: state.ledgerMinor + ledgerChange,
    settledTransactionIds: state.settledTransactionIds.add(transactionId),
    updatedAt: at,
  };
}

function withPending(state: WalletState, type: 'credit' | 'debit', change: bigint): WalletState {
  return type === 'credit'
    ? { ...state, pendingCreditsMinor: state.pendingCreditsMinor + change }
    : { ...state, pendingDebitsMinor: state.pendingDebitsMinor + change };
}

function releaseHold(state: WalletState, transactionId: string): WalletState {
  return {
    ...state,
    holds: state.holds.delete(transactionId),
    settledTransactionIds: state.settledTransactionIds.add(transactionId),
  };
}
