import type { FundsCredited, FundsDebited, HoldConfirmed, HoldPlaced, HoldRejected, Metadata, TransactionType, WalletEvent } from './wallet.events';
import type { WalletState } from './wallet.state';

export type TransactionStatus = 'pending' | 'confirmed' | 'rejected';

/** A transaction as it stands after some events, in the shape the API describes. */
export interface TransactionSnapshot {
  readonly transactionId: string;
  readonly walletId: string;
  readonly transactionType: TransactionType;
  readonly amountMinor: bigint;
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

/** What settling a hold changes on its transaction. */
export interface Settlement {
  readonly status: 'confirmed' | 'rejected';
  readonly confirmRejectTimestamp: string;
  readonly rejectReason: string | null;
}

/**
 * A transaction as the event that records it describes it. Built field by field: an object
 * rest and spread here took a slow path in V8 that showed in every credit's profile.
 */
export function recordedTransaction(event: FundsCredited | FundsDebited | HoldPlaced): TransactionSnapshot {
  const { walletId, transactionId, amountMinor, description, metadata, groupId, recordedAt } = event.data;
  const pending = event.type === 'HoldPlaced';
  return {
    transactionId,
    walletId,
    transactionType: pending ? event.data.transactionType : event.type === 'FundsCredited' ? 'credit' : 'debit',
    amountMinor,
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

export function settlementOf(event: HoldConfirmed | HoldRejected): Settlement {
  return event.type === 'HoldRejected'
    ? { status: 'rejected', confirmRejectTimestamp: event.data.rejectedAt, rejectReason: event.data.reason }
    : { status: 'confirmed', confirmRejectTimestamp: event.data.confirmedAt, rejectReason: null };
}

/**
 * Describes the transaction a decided event touches, given the state before it. Returns
 * undefined for events that touch no transaction (wallet opened, owner added).
 */
export function transactionAfter(before: WalletState, event: WalletEvent): TransactionSnapshot | undefined {
  switch (event.type) {
    case 'FundsCredited':
    case 'FundsDebited':
    case 'HoldPlaced':
      return recordedTransaction(event);
    case 'HoldConfirmed':
    case 'HoldRejected': {
      const hold = before.holds.get(event.data.transactionId);
      if (!hold) throw new Error(`${event.type} for ${event.data.transactionId}, which is not held in wallet ${before.walletId}.`);
      return { ...hold, walletId: before.walletId, holdTimestamp: hold.createdAt, ...settlementOf(event) };
    }
    default:
      return undefined;
  }
}
