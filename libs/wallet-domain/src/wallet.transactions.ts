import { assertNever } from './domain-error';
import type { FundsCredited, FundsDebited, HoldPlaced, Metadata, TransactionReversed, TransactionType, WalletEvent } from './wallet.events';
import type { WalletState } from './wallet.state';

export type TransactionStatus = 'pending' | 'confirmed' | 'rejected';

/**
 * A transaction as it stands after some events, in the shape the API describes.
 * `amountMinor` is what was authorised (after increases) = held + captured + released.
 */
export interface TransactionSnapshot {
  readonly transactionId: string;
  readonly walletId: string;
  readonly transactionType: TransactionType;
  readonly amountMinor: bigint;
  readonly heldMinor: bigint;
  readonly capturedMinor: bigint;
  readonly releasedMinor: bigint;
  readonly reversedMinor: bigint;
  readonly reversalOf: string | null;
  readonly reference: string | null;
  readonly status: TransactionStatus;
  readonly description: string | null;
  readonly metadata: Metadata;
  readonly groupId: string | null;
  readonly createdAt: string;
  readonly holdTimestamp: string | null;
  readonly confirmRejectTimestamp: string | null;
  readonly rejectReason: string | null;
  readonly expiresAt: string | null;
}

/** An event that records a new transaction. */
export type TransactionRecording = FundsCredited | FundsDebited | HoldPlaced | TransactionReversed;

/**
 * What an event changes on a transaction recorded earlier: amounts to add, and when the
 * event ends a hold, the moment and the reason. The read model applies the same change.
 */
export interface TransactionChange {
  readonly transactionId: string;
  readonly amountMinor: bigint;
  readonly heldMinor: bigint;
  readonly capturedMinor: bigint;
  readonly releasedMinor: bigint;
  readonly reversedMinor: bigint;
  readonly ended: { readonly at: string; readonly rejectReason: string | null } | null;
  readonly at: string;
}

/**
 * A transaction as the event that records it describes it. Built field by field: an object
 * rest and spread here took a slow path in V8 that showed in every credit's profile.
 */
export function recordedTransaction(event: TransactionRecording): TransactionSnapshot {
  const { walletId, transactionId, amountMinor, description, metadata, groupId, recordedAt } = event.data;
  const pending = event.type === 'HoldPlaced';
  return {
    transactionId,
    walletId,
    transactionType: recordedType(event),
    amountMinor,
    heldMinor: pending ? amountMinor : 0n,
    capturedMinor: pending ? 0n : amountMinor,
    releasedMinor: 0n,
    reversedMinor: 0n,
    reversalOf: event.type === 'TransactionReversed' ? event.data.reversalOf : null,
    reference: event.data.reference ?? null,
    status: pending ? 'pending' : 'confirmed',
    description,
    metadata,
    groupId,
    createdAt: recordedAt,
    holdTimestamp: pending ? recordedAt : null,
    confirmRejectTimestamp: pending ? null : recordedAt,
    rejectReason: null,
    expiresAt: pending ? event.data.expiresAt : null,
  };
}

export function recordedType(event: TransactionRecording): TransactionType {
  if (event.type === 'FundsCredited') return 'credit';
  if (event.type === 'FundsDebited') return 'debit';
  return event.data.transactionType;
}

/**
 * The change an event makes to a transaction recorded before it: a hold's increase,
 * capture, confirmation or rejection, or the reversal of part of an original. Undefined
 * for events that change no earlier transaction.
 */
export function transactionChangeOf(event: WalletEvent): TransactionChange | undefined {
  const none = { amountMinor: 0n, heldMinor: 0n, capturedMinor: 0n, releasedMinor: 0n, reversedMinor: 0n };
  switch (event.type) {
    case 'WalletOpened':
    case 'WalletOwnerAdded':
    case 'OverdraftLimitSet':
    case 'FundsCredited':
    case 'FundsDebited':
    case 'HoldPlaced':
      return undefined;
    case 'TransactionReversed': {
      const { reversalOf, amountMinor, recordedAt } = event.data;
      return { ...none, transactionId: reversalOf, reversedMinor: amountMinor, ended: null, at: recordedAt };
    }
    case 'HoldIncreased': {
      const { transactionId, amountMinor, increasedAt } = event.data;
      return { ...none, transactionId, amountMinor, heldMinor: amountMinor, ended: null, at: increasedAt };
    }
    case 'HoldCaptured': {
      const { transactionId, amountMinor, releasedMinor, final, capturedAt } = event.data;
      const ended = final ? { at: capturedAt, rejectReason: null } : null;
      return { ...none, transactionId, heldMinor: -(amountMinor + releasedMinor), capturedMinor: amountMinor, releasedMinor, ended, at: capturedAt };
    }
    case 'HoldConfirmed': {
      const { transactionId, amountMinor, confirmedAt } = event.data;
      return { ...none, transactionId, heldMinor: -amountMinor, capturedMinor: amountMinor, ended: { at: confirmedAt, rejectReason: null }, at: confirmedAt };
    }
    case 'HoldRejected': {
      const { transactionId, amountMinor, reason, rejectedAt } = event.data;
      return { ...none, transactionId, heldMinor: -amountMinor, releasedMinor: amountMinor, ended: { at: rejectedAt, rejectReason: reason }, at: rejectedAt };
    }
    default:
      return assertNever(event);
  }
}

/**
 * The status of a hold that has ended: confirmed when any of it was captured (a reject
 * after partial captures releases only the rest), rejected when none of it was.
 */
export function endedStatus(capturedMinor: bigint): TransactionStatus {
  return capturedMinor > 0n ? 'confirmed' : 'rejected';
}

/** A transaction after a change: the one rule the write side and the read model share. */
export function changedTransaction(transaction: TransactionSnapshot, change: TransactionChange): TransactionSnapshot {
  const capturedMinor = transaction.capturedMinor + change.capturedMinor;
  const { ended } = change;
  return {
    ...transaction,
    amountMinor: transaction.amountMinor + change.amountMinor,
    heldMinor: transaction.heldMinor + change.heldMinor,
    capturedMinor,
    releasedMinor: transaction.releasedMinor + change.releasedMinor,
    reversedMinor: transaction.reversedMinor + change.reversedMinor,
    status: ended ? endedStatus(capturedMinor) : transaction.status,
    confirmRejectTimestamp: ended ? ended.at : transaction.confirmRejectTimestamp,
    rejectReason: ended ? ended.rejectReason : transaction.rejectReason,
  };
}

/**
 * Describes the transaction a decided event records or changes, given the state before
 * it: for a reversal, the new reversing transaction. Returns undefined for events that
 * touch no transaction (wallet opened, owner added).
 */
export function transactionAfter(before: WalletState, event: WalletEvent): TransactionSnapshot | undefined {
  switch (event.type) {
    case 'FundsCredited':
    case 'FundsDebited':
    case 'HoldPlaced':
    case 'TransactionReversed':
      return recordedTransaction(event);
    case 'HoldIncreased':
    case 'HoldCaptured':
    case 'HoldConfirmed':
    case 'HoldRejected': {
      const hold = before.holds.get(event.data.transactionId);
      if (!hold) throw new Error(`${event.type} for ${event.data.transactionId}, which is not held in wallet ${before.walletId}.`);
      const pending: TransactionSnapshot = {
        ...hold,
        walletId: before.walletId,
        reversedMinor: 0n,
        reversalOf: null,
        status: 'pending',
        holdTimestamp: hold.createdAt,
        confirmRejectTimestamp: null,
        rejectReason: null,
      };
      return changedTransaction(pending, transactionChangeOf(event)!);
    }
    case 'WalletOpened':
    case 'WalletOwnerAdded':
    case 'OverdraftLimitSet':
      return undefined;
    default:
      return assertNever(event);
  }
}
