import type { Metadata, TransactionType, WalletEvent } from './wallet.events';
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

/**
 * Describes the transaction a decided event touches, given the state before it. Returns
 * undefined for events that touch no transaction (wallet opened, owner added).
 */
export function transactionAfter(before: WalletState, event: WalletEvent): TransactionSnapshot | undefined {
  switch (event.type) {
    case 'FundsCredited':
    case 'FundsDebited': {
      const { recordedAt, ...rest } = event.data;
      const transactionType = event.type === 'FundsCredited' ? 'credit' : 'debit';
      return { ...rest, transactionType, status: 'confirmed', createdAt: recordedAt, holdTimestamp: null, confirmRejectTimestamp: recordedAt, rejectReason: null, expiresAt: null };
    }
    case 'HoldPlaced': {
      const { recordedAt, ...rest } = event.data;
      return { ...rest, status: 'pending', createdAt: recordedAt, holdTimestamp: recordedAt, confirmRejectTimestamp: null, rejectReason: null };
    }
    case 'HoldConfirmed':
    case 'HoldRejected': {
      const hold = before.holds.get(event.data.transactionId);
      if (!hold) throw new Error(`${event.type} for ${event.data.transactionId}, which is not held in wallet ${before.walletId}.`);
      const rejected = event.type === 'HoldRejected';
      const settledAt = rejected ? event.data.rejectedAt : event.data.confirmedAt;
      return {
        ...hold,
        walletId: before.walletId,
        status: rejected ? 'rejected' : 'confirmed',
        holdTimestamp: hold.createdAt,
        confirmRejectTimestamp: settledAt,
        rejectReason: rejected ? event.data.reason : null,
      };
    }
    default:
      return undefined;
  }
}
