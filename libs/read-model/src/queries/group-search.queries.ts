import type { GroupStatus, OwnerRef } from '@wallet/domain';
import type { Pool } from 'pg';
import { GROUP_COLUMNS, type GroupDbRow, type GroupRecord, withLegs } from './groups.queries';
import { heldWalletIdsSql } from './owner-access.queries';
import { SqlParams, type Statement } from './sql-params';

export interface GroupFilter {
  readonly reference?: string;
  /** Only groups with a leg on this wallet. */
  readonly walletId?: string;
  readonly status?: GroupStatus;
  /** Only groups every leg of which is on a wallet this owner holds (a key bound to an owner). */
  readonly owner?: OwnerRef;
  /** Keyset: only groups with a greater id (UUIDv7 ids: creation order, fixed for a group's life). */
  readonly afterId?: string;
  readonly limit: number;
}

// The wallets of a group's legs, live or archived, found through the legs' ids: the archive
// has no index on group_id, and the legs list is the group's own.
const LEG_WALLETS_SQL = `
  select t.wallet_id from jsonb_array_elements_text(g.legs) leg join read_model.transactions t on t.id = leg::uuid
  union all
  select a.wallet_id from jsonb_array_elements_text(g.legs) leg join read_model.transactions_archive a on a.id = leg::uuid`;

/** One page of groups with their legs, in id order. */
export async function listGroups(db: Pool, filter: GroupFilter): Promise<GroupRecord[]> {
  const { text, values } = groupsStatement(filter);
  const { rows } = await db.query<GroupDbRow>(text, [...values]);
  return withLegs(db, rows);
}

/** The statement listGroups runs (its plan is checked in a spec). */
export function groupsStatement(filter: GroupFilter): Statement {
  const params = new SqlParams();
  const conditions: string[] = [];
  if (filter.reference !== undefined) conditions.push(`g.reference = ${params.add(filter.reference)}`);
  if (filter.status !== undefined) conditions.push(`g.status = ${params.add(filter.status)}`);
  if (filter.walletId !== undefined) conditions.push(`${params.add(filter.walletId)}::uuid in (${LEG_WALLETS_SQL})`);
  if (filter.owner !== undefined) {
    conditions.push(`not exists (select 1 from (${LEG_WALLETS_SQL}) w where w.wallet_id not in (${heldWalletIdsSql(filter.owner, params)}))`);
  }
  if (filter.afterId !== undefined) conditions.push(`g.id > ${params.add(filter.afterId)}::uuid`);
  const where = conditions.length === 0 ? '' : `where ${conditions.join(' and ')}`;
  return { text: `select ${GROUP_COLUMNS} from read_model.transaction_groups g ${where} order by g.id limit ${params.add(filter.limit)}`, values: params.values };
}
