import { assertNever } from './domain-error';
import { EXPIRED_REASON } from './group.commands';
import { applyToBalance } from './wallet.balance';
import { type HoldCaptured, type HoldConfirmed, type HoldIncreased, type HoldRejected, type WalletEvent, occurredAt } from './wallet.events';
import { type Hold, type SettledTransaction, type WalletState, initialWalletState } from './wallet.state';
import { transactionChangeOf } from './wallet.transactions';

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
      const overdraftLimit = event.data.overdraftLimit ?? 0n;
      return { ...state, exists: true, walletId, walletType, currency, owners: withTime, metadata, overdraftLimit, createdAt: openedAt };
    }
    case 'WalletOwnerAdded': {
      const { ownerType, ownerRef, addedAt } = event.data;
      return { ...state, owners: [...state.owners, { ownerType, ownerRef, addedAt }] };
    }
    case 'OverdraftLimitSet':
      return { ...state, overdraftLimit: event.data.overdraftLimit };
    case 'FundsCredited':
    case 'FundsDebited': {
      const { transactionId, amountMinor, groupId } = event.data;
      const transactionType = event.type === 'FundsCredited' ? 'credit' : 'debit';
      return settle(referenced(state, event.data), transactionId, { transactionType, capturedMinor: amountMinor, reversedMinor: 0n, groupId, reversalOf: null });
    }
    case 'TransactionReversed': {
      const { transactionId, transactionType, amountMinor, groupId, reversalOf } = event.data;
      const original = state.settled.get(reversalOf);
      const settled = original ? state.settled.set(reversalOf, { ...original, reversedMinor: original.reversedMinor + amountMinor }) : state.settled;
      return settle(referenced({ ...state, settled }, event.data), transactionId, { transactionType, capturedMinor: amountMinor, reversedMinor: 0n, groupId, reversalOf });
    }
    case 'HoldPlaced': {
      const { transactionId, transactionType, amountMinor, description, metadata, groupId, recordedAt, expiresAt } = event.data;
      const hold: Hold = { transactionId, transactionType, amountMinor, heldMinor: amountMinor, capturedMinor: 0n, releasedMinor: 0n, description, metadata, groupId, reference: event.data.reference ?? null, createdAt: recordedAt, expiresAt };
      return { ...referenced(state, event.data), holds: state.holds.set(transactionId, hold) };
    }
    case 'HoldIncreased':
    case 'HoldCaptured':
    case 'HoldConfirmed':
    case 'HoldRejected':
      return changeHold(state, event);
    default:
      return assertNever(event);
  }
}

/** Keeps the reference of a newly recorded transaction, when it has one. */
function referenced(state: WalletState, { reference, transactionId }: { reference?: string; transactionId: string }): WalletState {
  return reference === undefined ? state : { ...state, references: state.references.set(reference, transactionId) };
}

function settle(state: WalletState, transactionId: string, transaction: SettledTransaction): WalletState {
  return { ...state, settled: state.settled.set(transactionId, transaction) };
}

type HoldEvent = HoldIncreased | HoldCaptured | HoldConfirmed | HoldRejected;

/** Applies an event to the hold it names; a hold that ends moves to the settled transactions. */
function changeHold(state: WalletState, event: HoldEvent): WalletState {
  const { transactionId } = event.data;
  const before = state.holds.get(transactionId);
  if (!before) throw new Error(`${event.type} for ${transactionId}, which is not held in wallet ${state.walletId}.`);
  const change = transactionChangeOf(event)!;
  const hold: Hold = {
    ...before,
    amountMinor: before.amountMinor + change.amountMinor,
    heldMinor: before.heldMinor + change.heldMinor,
    capturedMinor: before.capturedMinor + change.capturedMinor,
    releasedMinor: before.releasedMinor + change.releasedMinor,
  };
  if (!change.ended) return { ...state, holds: state.holds.set(transactionId, hold) };
  const expired = event.type === 'HoldRejected' && event.data.reason === EXPIRED_REASON;
  const { transactionType, capturedMinor, groupId } = hold;
  return {
    ...settle(state, transactionId, { transactionType, capturedMinor, reversedMinor: 0n, groupId, reversalOf: null }),
    holds: state.holds.delete(transactionId),
    expiredTransactionIds: expired ? state.expiredTransactionIds.add(transactionId) : state.expiredTransactionIds,
  };
}
