import { assertNever } from './domain-error';
import { EXPIRED_REASON } from './group.commands';
import { applyToBalance } from './wallet.balance';
import { type WalletEvent, occurredAt } from './wallet.events';
import { type WalletState, initialWalletState } from './wallet.state';

/** Applies one event to a wallet's state. Pure: returns a new state, never mutates. */
export function evolveWallet(state: WalletState, event: WalletEvent): WalletState {
  const { ledgerMinor, pendingDebitsMinor, pendingCreditsMinor } = applyToBalance(state, event);
  return { ...applyEvent(state, event), ledgerMinor, pendingDebitsMinor, pendingCreditsMinor, updatedAt: occurredAt(event), version: state.version + 1 };
}

/** Folds a whole stream, oldest event first. */
export function foldWallet(events: Iterable<WalletEvent>, from: WalletState = initialWalletState): WalletState {
  let state = from;
  for (const event of events) state = evolveWallet(state, event);
  return state;
}

/** Everything but the money totals, which applyToBalance owns. */
function applyEvent(state: WalletState, event: WalletEvent): WalletState {
  switch (event.type) {
    case 'WalletOpened': {
      const { walletId, walletType, currency, owners, metadata, openedAt } = event.data;
      const withTime = owners.map((owner) => ({ ...owner, addedAt: openedAt }));
      return { ...state, exists: true, walletId, walletType, currency, owners: withTime, metadata, createdAt: openedAt };
    }
    case 'WalletOwnerAdded': {
      const { ownerType, ownerRef, addedAt } = event.data;
      return { ...state, owners: [...state.owners, { ownerType, ownerRef, addedAt }] };
    }
    case 'FundsCredited':
    case 'FundsDebited':
      return settled(state, event.data.transactionId);
    case 'HoldPlaced': {
      const { transactionId, transactionType, amountMinor, description, metadata, groupId, recordedAt, expiresAt } = event.data;
      const hold = { transactionId, transactionType, amountMinor, description, metadata, groupId, createdAt: recordedAt, expiresAt };
      return { ...state, holds: state.holds.set(transactionId, hold) };
    }
    case 'HoldConfirmed':
      return { ...settled(state, event.data.transactionId), holds: state.holds.delete(event.data.transactionId) };
    case 'HoldRejected': {
      const { transactionId, reason } = event.data;
      const expiredTransactionIds = reason === EXPIRED_REASON ? state.expiredTransactionIds.add(transactionId) : state.expiredTransactionIds;
      return { ...settled(state, transactionId), holds: state.holds.delete(transactionId), expiredTransactionIds };
    }
    default:
      return assertNever(event);
  }
}

function settled(state: WalletState, transactionId: string): WalletState {
  return { ...state, settledTransactionIds: state.settledTransactionIds.add(transactionId) };
}
