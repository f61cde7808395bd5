import { type TransactionChange, type TransactionRecording, type TransactionSnapshot, changedTransaction, recordedType } from '@wallet/domain';

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
export function transactionRow(event: TransactionRecording, position: bigint): TransactionRow {
  const data = event.data;
  const hold = event.type === 'HoldPlaced';
  return {
    transactionId: data.transactionId,
    walletId: data.walletId,
    transactionType: recordedType(event),
    amountMinor: data.amountMinor,
    heldMinor: hold ? data.amountMinor : 0n,
    capturedMinor: hold ? 0n : data.amountMinor,
    releasedMinor: 0n,
    reversedMinor: 0n,
    reversalOf: event.type === 'TransactionReversed' ? event.data.reversalOf : null,
    status: hold ? 'pending' : 'confirmed',
    description: data.description,
    metadata: data.metadata,
    groupId: data.groupId,
    reference: data.reference ?? null,
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

/** A row recorded earlier in the batch, after a later event of the batch changed it (the domain's rule). */
export function changedRow(row: TransactionRow, change: TransactionChange, position: bigint): TransactionRow {
  return { ...changedTransaction(row, change), position, createdPosition: row.createdPosition, updatedAt: change.at };
}

/**
 * What a batch's events change on a row recorded in an earlier batch, added up: the amounts
 * move by the sum of their changes, and the hold's end (at most one per hold) comes from the
 * event that ended it. Position and time are the last change's.
 */
export interface RowDelta {
  readonly transactionId: string;
  amountMinor: bigint;
  heldMinor: bigint;
  capturedMinor: bigint;
  releasedMinor: bigint;
  reversedMinor: bigint;
  ended: TransactionChange['ended'];
  position: bigint;
  updatedAt: string;
}

/** `delta` with one more change added, or a new delta when there is none yet. */
export function addedDelta(delta: RowDelta | undefined, change: TransactionChange, position: bigint): RowDelta {
  if (!delta) {
    const { transactionId, amountMinor, heldMinor, capturedMinor, releasedMinor, reversedMinor, ended, at } = change;
    return { transactionId, amountMinor, heldMinor, capturedMinor, releasedMinor, reversedMinor, ended, position, updatedAt: at };
  }
  delta.amountMinor += change.amountMinor;
  delta.heldMinor += change.heldMinor;
  delta.capturedMinor += change.capturedMinor;
  delta.releasedMinor += change.releasedMinor;
  delta.reversedMinor += change.reversedMinor;
  delta.ended = change.ended ?? delta.ended;
  delta.position = position;
  delta.updatedAt = change.at;
  return delta;
}
