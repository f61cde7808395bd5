import { type FundsCredited, type FundsDebited, type HoldConfirmed, type HoldPlaced, type HoldRejected, type TransactionSnapshot, type TransactionStatus, endedStatus, transactionChangeOf } from '@wallet/domain';

/** How a hold ended, as its row shows it. */
export interface Settlement {
  readonly status: TransactionStatus;
  readonly confirmRejectTimestamp: string;
  readonly rejectReason: string | null;
}

export function settlementOf(event: HoldConfirmed | HoldRejected): Settlement {
  const change = transactionChangeOf(event)!;
  return { status: endedStatus(change.capturedMinor), confirmRejectTimestamp: change.ended!.at, rejectReason: change.ended!.rejectReason };
}

/** A row of the transactions table. */
export interface TransactionRow extends TransactionSnapshot {
  readonly position: bigint;
  readonly createdPosition: bigint;
  readonly updatedAt: string;
}

/**
 * The row an event that records a transaction creates: the domain's recordedTransaction
 * (a spec holds them equal), written out field by field because V8 copies objects built
 * with rest and spread on a slow path, microseconds per event.
 */
export function transactionRow(event: FundsCredited | FundsDebited | HoldPlaced, position: bigint): TransactionRow {
  const data = event.data;
  const hold = event.type === 'HoldPlaced';
  return {
    transactionId: data.transactionId,
    walletId: data.walletId,
    transactionType: event.type === 'HoldPlaced' ? event.data.transactionType : event.type === 'FundsCredited' ? 'credit' : 'debit',
    amountMinor: data.amountMinor,
    heldMinor: hold ? data.amountMinor : 0n,
    capturedMinor: hold ? 0n : data.amountMinor,
    releasedMinor: 0n,
    reversedMinor: 0n,
    reversalOf: null,
    status: hold ? 'pending' : 'confirmed',
    description: data.description,
    metadata: data.metadata,
    groupId: data.groupId,
    createdAt: data.recordedAt,
    holdTimestamp: hold ? data.recordedAt : null,
    confirmRejectTimestamp: hold ? null : data.recordedAt,
    rejectReason: null,
    expiresAt: event.type === 'HoldPlaced' ? event.data.expiresAt : null,
    position,
    createdPosition: position,
    updatedAt: data.recordedAt,
  };
}

export function settledRow(row: TransactionRow, settlement: Settlement, position: bigint, at: string): TransactionRow {
  return {
    transactionId: row.transactionId,
    walletId: row.walletId,
    transactionType: row.transactionType,
    amountMinor: row.amountMinor,
    heldMinor: 0n,
    capturedMinor: settlement.status === 'confirmed' ? row.amountMinor : 0n,
    releasedMinor: settlement.status === 'rejected' ? row.amountMinor : 0n,
    reversedMinor: 0n,
    reversalOf: null,
    status: settlement.status,
    description: row.description,
    metadata: row.metadata,
    groupId: row.groupId,
    createdAt: row.createdAt,
    holdTimestamp: row.holdTimestamp,
    confirmRejectTimestamp: settlement.confirmRejectTimestamp,
    rejectReason: settlement.rejectReason,
    expiresAt: row.expiresAt,
    position,
    createdPosition: row.createdPosition,
    updatedAt: at,
  };
}
