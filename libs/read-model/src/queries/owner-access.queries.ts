import type { OwnerRef } from '@wallet/domain';
import type { Pool } from 'pg';
import type { SqlParams } from './sql-params';

/** True when the wallet exists and `owner` holds it. */
export async function walletHeldBy(db: Pool, walletId: string, owner: OwnerRef): Promise<boolean> {
  const { rowCount } = await db.query(
    'select 1 from read_model.wallet_owners where wallet_id = $1 and owner_type = $2 and owner_ref = $3',
    [walletId, owner.ownerType, owner.ownerRef],
  );
  return rowCount === 1;
}

/** Which of `walletIds` `owner` holds. */
export async function walletsHeldBy(db: Pool, walletIds: readonly string[], owner: OwnerRef): Promise<Set<string>> {
  if (walletIds.length === 0) return new Set();
  const { rows } = await db.query<{ wallet_id: string }>(
    'select wallet_id from read_model.wallet_owners where owner_type = $2 and owner_ref = $3 and wallet_id = any($1::uuid[])',
    [walletIds, owner.ownerType, owner.ownerRef],
  );
  return new Set(rows.map((row) => row.wallet_id));
}

/** True when the group exists and `owner` holds the wallet of every one of its legs. */
export async function groupHeldBy(db: Pool, groupId: string, owner: OwnerRef): Promise<boolean> {
  const { rows } = await db.query<{ held: boolean }>(
    `with legs as (
       select leg::uuid as id from read_model.transaction_groups g, jsonb_array_elements_text(g.legs) leg where g.id = $1
     ), leg_wallets as (
       select t.wallet_id from read_model.transactions t join legs using (id)
       union all
       select a.wallet_id from read_model.transactions_archive a join legs using (id)
     )
     select exists (select 1 from legs)
        and not exists (
          select 1 from leg_wallets w
          where not exists (
            select 1 from read_model.wallet_owners o where o.wallet_id = w.wallet_id and o.owner_type = $2 and o.owner_ref = $3))
        as held`,
    [groupId, owner.ownerType, owner.ownerRef],
  );
  return rows[0]?.held === true;
}

/** A subquery of the ids of the wallets `owner` holds, for `wallet_id in (...)` conditions. */
export function heldWalletIdsSql(owner: OwnerRef, params: SqlParams): string {
  return `select o.wallet_id from read_model.wallet_owners o where o.owner_type = ${params.add(owner.ownerType)} and o.owner_ref = ${params.add(owner.ownerRef)}`;
}
