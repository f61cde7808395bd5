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

/**
 * The ids of the groups with a leg on one of `wallets` (a subquery of wallet ids), found from
 * the wallets' histories on their (wallet_id, created_position) indexes: a search by wallet or
 * by owner reads that wallet's or owner's share, not every group.
 */
const groupsWithLegOn = (wallets: string) => `
  select t.group_id from read_model.transactions t where t.wallet_id in (${wallets}) and t.group_id is not null
  union
  select a.group_id from read_model.transactions_archive a where a.wallet_id in (${wallets}) and a.group_id is not null`;

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
  if (filter.walletId !== undefined) conditions.push(`g.id in (${groupsWithLegOn(`${params.add(filter.walletId)}::uuid`)})`);
  if (filter.owner !== undefined) {
    const held = heldWalletIdsSql(filter.owner, params);
    // Candidates have a leg on a held wallet; of those, only groups with no leg elsewhere.
    conditions.push(`g.id in (${groupsWithLegOn(held)})`, `not exists (select 1 from (${LEG_WALLETS_SQL}) w where w.wallet_id not in (${held}))`);
  }
  if (filter.afterId !== undefined) conditions.push(`g.id > ${params.add(filter.afterId)}::uuid`);
  const where = conditions.length === 0 ? '' : `where ${conditions.join(' and ')}`;
  return { text: `select ${GROUP_COLUMNS} from read_model.transaction_groups g ${where} order by g.id limit ${params.add(filter.limit)}`, values: params.values };
}
