import type { BalanceTotals } from '@wallet/domain';
import type { Pool } from 'pg';

/** A wallet's totals as they stood right after the event at `position` (stream `revision`). */
export interface SnapshotRecord extends BalanceTotals {
  /** A UUID derived from (walletId, position): the same after a rebuild. */
  readonly id: string;
  readonly walletId: string;
  readonly position: bigint;
  readonly revision: number;
  readonly snapshotDate: string;
  readonly transactionCount: bigint;
  readonly isLedgerEntry: boolean;
}

/** A moment in a wallet's history: by log position, or by the time its events occurred. */
export type HistoryMoment = { readonly position: bigint } | { readonly at: string };

/** A wallet has at most one snapshot per position, so its position orders its snapshots. */
export interface SnapshotKey {
  readonly position: bigint;
}

interface SnapshotDbRow {
  id: string;
  wallet_id: string;
  position: string;
  revision: string;
  snapshot_date: Date;
  ledger: string;
  pending_debits: string;
  pending_credits: string;
  transaction_count: string;
  is_ledger_entry: boolean;
}

const SNAPSHOT_SELECT = `
  select id, wallet_id, position, revision, snapshot_date, ledger, pending_debits, pending_credits, transaction_count, is_ledger_entry
    from read_model.transaction_snapshots`;

/** One page of a wallet's snapshots in position order, after the keyset `after`. */
export async function listSnapshots(db: Pool, walletId: string, after: SnapshotKey | undefined, limit: number): Promise<SnapshotRecord[]> {
  const { rows } = await db.query<SnapshotDbRow>(
    `${SNAPSHOT_SELECT} where wallet_id = $1 and ($2::bigint is null or position > $2) order by position limit $3`,
    [walletId, after?.position.toString() ?? null, limit],
  );
  return rows.map(toSnapshotRecord);
}

/** The latest ledger-entry snapshot at or before a moment; undefined when there is none. */
export async function nearestSnapshot(db: Pool, walletId: string, moment: HistoryMoment): Promise<SnapshotRecord | undefined> {
  const [condition, order, bound] =
    'position' in moment ? ['position <= $2', 'position desc', moment.position.toString()] : ['snapshot_date <= $2', 'snapshot_date desc, position desc', moment.at];
  const { rows } = await db.query<SnapshotDbRow>(`${SNAPSHOT_SELECT} where wallet_id = $1 and is_ledger_entry and ${condition} order by ${order} limit 1`, [walletId, bound]);
  return rows[0] && toSnapshotRecord(rows[0]);
}

function toSnapshotRecord(row: SnapshotDbRow): SnapshotRecord {
  return {
    id: row.id,
    walletId: row.wallet_id,
    position: BigInt(row.position),
    revision: Number(row.revision),
    snapshotDate: row.snapshot_date.toISOString(),
    ledgerMinor: BigInt(row.ledger),
    pendingDebitsMinor: BigInt(row.pending_debits),
    pendingCreditsMinor: BigInt(row.pending_credits),
    transactionCount: BigInt(row.transaction_count),
    isLedgerEntry: row.is_ledger_entry,
  };
}
