import type { GroupStatus } from '@wallet/domain';
import type { Pool } from 'pg';
import { TRANSACTION_COLUMNS, type TransactionDbRow, type TransactionRecord, toTransactionRecord } from './transactions.queries';

export interface GroupRecord {
  readonly id: string;
  readonly status: GroupStatus;
  readonly description: string | null;
  readonly metadata: Record<string, unknown>;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly expiresAt: string | null;
  /** The group this one reverses (every leg of it), or null. */
  readonly reversalOf: string | null;
  /** The group that reversed this one, or null. */
  readonly reversedBy: string | null;
  /** The group's own reference, unique among all groups, or null. */
  readonly reference: string | null;
  /** The legs in the order the group was given them. */
  readonly transactions: TransactionRecord[];
}

export interface GroupDbRow {
  id: string;
  status: GroupStatus;
  description: string | null;
  metadata: Record<string, unknown>;
  legs: string[];
  created_at: Date;
  updated_at: Date;
  expires_at: Date | null;
  reversal_of: string | null;
  reversed_by: string | null;
  reference: string | null;
}

const LEGS_SQL = `
  (select ${TRANSACTION_COLUMNS}, false as archived from read_model.transactions where id = any($1::uuid[]))
  union all
  (select ${TRANSACTION_COLUMNS}, true as archived from read_model.transactions_archive where id = any($1::uuid[]))`;

/** The columns of a group row, for `select ... from read_model.transaction_groups g`. */
export const GROUP_COLUMNS = 'g.id, g.status, g.description, g.metadata, g.legs, g.created_at, g.updated_at, g.expires_at, g.reversal_of, g.reversed_by, g.reference';

export async function findGroup(db: Pool, groupId: string): Promise<GroupRecord | undefined> {
  const { rows } = await db.query<GroupDbRow>(`select ${GROUP_COLUMNS} from read_model.transaction_groups g where g.id = $1`, [groupId]);
  return (await withLegs(db, rows))[0];
}

/** Groups rows with their legs, live or archived, read in one statement for them all. */
export async function withLegs(db: Pool, rows: readonly GroupDbRow[]): Promise<GroupRecord[]> {
  if (rows.length === 0) return [];
  const legs = await db.query<TransactionDbRow>(LEGS_SQL, [rows.flatMap((row) => row.legs)]);
  const byId = new Map(legs.rows.map((leg) => [leg.id, toTransactionRecord(leg)]));
  return rows.map((row) => ({
    id: row.id,
    status: row.status,
    description: row.description,
    metadata: row.metadata,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    expiresAt: row.expires_at?.toISOString() ?? null,
    reversalOf: row.reversal_of,
    reversedBy: row.reversed_by,
    reference: row.reference,
    transactions: row.legs.flatMap((id) => byId.get(id) ?? []),
  }));
}

/** Pending holds and groups whose expiry has passed, oldest first, bounded. */
export async function findExpiredHolds(db: Pool, now: Date, limit: number): Promise<{ holds: { walletId: string; transactionId: string }[]; groupIds: string[] }> {
  const [holds, groups] = await Promise.all([
    db.query<{ wallet_id: string; id: string }>(
      `select wallet_id, id from read_model.transactions
        where status = 'pending' and expires_at is not null and group_id is null and expires_at <= $1 order by expires_at limit $2`,
      [now, limit],
    ),
    db.query<{ id: string }>(
      `select id from read_model.transaction_groups where status = 'pending' and expires_at is not null and expires_at <= $1 order by expires_at limit $2`,
      [now, limit],
    ),
  ]);
  return { holds: holds.rows.map((row) => ({ walletId: row.wallet_id, transactionId: row.id })), groupIds: groups.rows.map((row) => row.id) };
}
