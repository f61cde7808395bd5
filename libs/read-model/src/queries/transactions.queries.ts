import type { TransactionSnapshot, TransactionStatus, TransactionType } from '@wallet/domain';
import type { Pool } from 'pg';

/**
 * A transaction from the live table or the archive: the domain's snapshot of it (amount,
 * held, captured, released and reversed amounts, reversalOf, status, ...) and where it is.
 */
export interface TransactionRecord extends TransactionSnapshot {
  /** Position of the event that last changed the transaction. */
  readonly position: bigint;
  /** Position of the event that recorded it: the history's order and keyset. */
  readonly createdPosition: bigint;
  readonly archived: boolean;
}

export interface TransactionDbRow {
  id: string;
  wallet_id: string;
  type: TransactionType;
  amount: string;
  held_amount: string;
  captured_amount: string;
  released_amount: string;
  reversed_amount: string;
  reversal_of: string | null;
  status: TransactionStatus;
  description: string | null;
  metadata: TransactionSnapshot['metadata'];
  group_id: string | null;
  hold_timestamp: Date | null;
  confirm_reject_timestamp: Date | null;
  reject_reason: string | null;
  expires_at: Date | null;
  reference: string | null;
  position: string;
  created_position: string;
  created_at: Date;
  archived: boolean;
}

export const TRANSACTION_COLUMNS = `id, wallet_id, type, amount, held_amount, captured_amount, released_amount, reversed_amount, reversal_of, status, description, metadata, group_id, hold_timestamp,
  confirm_reject_timestamp, reject_reason, expires_at, reference, position, created_position, created_at`;

/** Live and archived rows in one statement, so a row moving to the archive meanwhile is seen once. */
const FIND_SQL = `
  (select ${TRANSACTION_COLUMNS}, false as archived from read_model.transactions where wallet_id = $1 and id = $2)
  union all
  (select ${TRANSACTION_COLUMNS}, true as archived from read_model.transactions_archive where wallet_id = $1 and id = $2)
  order by archived limit 1`;

export async function findTransaction(db: Pool, walletId: string, transactionId: string): Promise<TransactionRecord | undefined> {
  const { rows } = await db.query<TransactionDbRow>(FIND_SQL, [walletId, transactionId]);
  return rows[0] && toTransactionRecord(rows[0]);
}

const iso = (date: Date | null): string | null => date && date.toISOString();

export function toTransactionRecord(row: TransactionDbRow): TransactionRecord {
  return {
    transactionId: row.id,
    walletId: row.wallet_id,
    transactionType: row.type,
    amountMinor: BigInt(row.amount),
    heldMinor: BigInt(row.held_amount),
    capturedMinor: BigInt(row.captured_amount),
    releasedMinor: BigInt(row.released_amount),
    reversedMinor: BigInt(row.reversed_amount),
    reversalOf: row.reversal_of,
    status: row.status,
    description: row.description,
    metadata: row.metadata,
    groupId: row.group_id,
    createdAt: row.created_at.toISOString(),
    holdTimestamp: iso(row.hold_timestamp),
    confirmRejectTimestamp: iso(row.confirm_reject_timestamp),
    rejectReason: row.reject_reason,
    expiresAt: iso(row.expires_at),
    reference: row.reference,
    position: BigInt(row.position),
    createdPosition: BigInt(row.created_position),
    archived: row.archived,
  };
}
