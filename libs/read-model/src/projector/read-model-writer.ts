import type { PoolClient } from 'pg';
import type { BalanceRow, Changeset } from './changeset';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** A read-model schema name, checked once so it can be spliced into SQL. */
export function schemaName(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`Not a valid schema name: ${name}`);
  return name;
}

/** A balances row as pg returns it. */
export interface BalanceDbRow {
  wallet_id: string;
  ledger: string;
  pending_debits: string;
  pending_credits: string;
  transaction_count: string;
  revision: string;
  position: string;
  events_since_snapshot: number;
  last_snapshot_at: Date;
}

/** Balance rows of the given wallets, as the batch about to be applied finds them. */
export async function loadBalances(client: PoolClient, schema: string, walletIds: readonly string[]): Promise<Map<string, BalanceRow>> {
  if (walletIds.length === 0) return new Map();
  const { rows } = await client.query<BalanceDbRow>(`select * from ${schema}.balances where wallet_id = any($1::uuid[])`, [walletIds]);
  return new Map(
    rows.map((row) => [
      row.wallet_id,
      {
        walletId: row.wallet_id,
        ledgerMinor: BigInt(row.ledger),
        pendingDebitsMinor: BigInt(row.pending_debits),
        pendingCreditsMinor: BigInt(row.pending_credits),
        transactionCount: BigInt(row.transaction_count),
        revision: Number(row.revision),
        position: BigInt(row.position),
        eventsSinceSnapshot: row.events_since_snapshot,
        lastSnapshotAt: row.last_snapshot_at.toISOString(),
      },
    ]),
  );
}

/** Writes a changeset with one set-based statement per table. */
export async function writeChangeset(client: PoolClient, schema: string, changes: Changeset): Promise<void> {
  await writeWallets(client, schema, changes);
  await writeOwners(client, schema, changes);
  await writeBalances(client, schema, changes);
  await writeTransactions(client, schema, changes);
  await writeSettlements(client, schema, changes);
  await writeSnapshots(client, schema, changes);
}

async function writeWallets(client: PoolClient, schema: string, { newWallets, touchedWallets }: Changeset): Promise<void> {
  const created = [...newWallets.values()];
  if (created.length > 0) {
    const touch = created.map((w) => touchedWallets.get(w.id)!);
    await client.query(
      `insert into ${schema}.wallets (id, type, currency, metadata, created_at, updated_at, version, position)
       select * from unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[], $5::timestamptz[], $6::timestamptz[], $7::int[], $8::bigint[])`,
      [created.map((w) => w.id), created.map((w) => w.type), created.map((w) => w.currency), created.map((w) => JSON.stringify(w.metadata)),
        created.map((w) => w.createdAt), touch.map((t) => t.updatedAt), touch.map((t) => t.version), touch.map((t) => t.position.toString())],
    );
  }
  const updated = [...touchedWallets.entries()].filter(([id]) => !newWallets.has(id));
  if (updated.length === 0) return;
  await client.query(
    `update ${schema}.wallets w set updated_at = u.updated_at, version = u.version, position = u.position
       from unnest($1::uuid[], $2::timestamptz[], $3::int[], $4::bigint[]) as u(id, updated_at, version, position)
      where w.id = u.id`,
    [updated.map(([id]) => id), updated.map(([, t]) => t.updatedAt), updated.map(([, t]) => t.version), updated.map(([, t]) => t.position.toString())],
  );
}

async function writeOwners(client: PoolClient, schema: string, { owners }: Changeset): Promise<void> {
  if (owners.length === 0) return;
  await client.query(
    `insert into ${schema}.wallet_owners (wallet_id, owner_type, owner_ref, created_at)
     select * from unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[]) on conflict do nothing`,
    [owners.map((o) => o.walletId), owners.map((o) => o.ownerType), owners.map((o) => o.ownerRef), owners.map((o) => o.createdAt)],
  );
}

async function writeBalances(client: PoolClient, schema: string, { balances }: Changeset): Promise<void> {
  const rows = [...balances.values()];
  if (rows.length === 0) return;
  await client.query(
    `insert into ${schema}.balances (wallet_id, ledger, pending_debits, pending_credits, transaction_count, revision, position, events_since_snapshot, last_snapshot_at)
     select * from unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::int[], $9::timestamptz[])
     on conflict (wallet_id) do update set ledger = excluded.ledger, pending_debits = excluded.pending_debits,
       pending_credits = excluded.pending_credits, transaction_count = excluded.transaction_count, revision = excluded.revision,
       position = excluded.position, events_since_snapshot = excluded.events_since_snapshot, last_snapshot_at = excluded.last_snapshot_at`,
    [rows.map((r) => r.walletId), rows.map((r) => r.ledgerMinor.toString()), rows.map((r) => r.pendingDebitsMinor.toString()),
      rows.map((r) => r.pendingCreditsMinor.toString()), rows.map((r) => r.transactionCount.toString()), rows.map((r) => r.revision),
      rows.map((r) => r.position.toString()), rows.map((r) => r.eventsSinceSnapshot), rows.map((r) => r.lastSnapshotAt)],
  );
}

async function writeTransactions(client: PoolClient, schema: string, { newTransactions }: Changeset): Promise<void> {
  const rows = [...newTransactions.values()];
  if (rows.length === 0) return;
  await client.query(
    `insert into ${schema}.transactions (id, wallet_id, type, amount, status, description, metadata, group_id, hold_timestamp,
       confirm_reject_timestamp, reject_reason, expires_at, position, created_position, created_at, updated_at)
     select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::jsonb[], $8::uuid[],
       $9::timestamptz[], $10::timestamptz[], $11::text[], $12::timestamptz[], $13::bigint[], $14::bigint[], $15::timestamptz[], $16::timestamptz[])`,
    [rows.map((r) => r.transactionId), rows.map((r) => r.walletId), rows.map((r) => r.transactionType), rows.map((r) => r.amountMinor.toString()),
      rows.map((r) => r.status), rows.map((r) => r.description), rows.map((r) => JSON.stringify(r.metadata)), rows.map((r) => r.groupId),
      rows.map((r) => r.holdTimestamp), rows.map((r) => r.confirmRejectTimestamp), rows.map((r) => r.rejectReason), rows.map((r) => r.expiresAt),
      rows.map((r) => r.position.toString()), rows.map((r) => r.createdPosition.toString()), rows.map((r) => r.createdAt), rows.map((r) => r.updatedAt)],
  );
}

async function writeSettlements(client: PoolClient, schema: string, { settlements }: Changeset): Promise<void> {
  const rows = [...settlements.values()];
  if (rows.length === 0) return;
  const { rowCount } = await client.query(
    `update ${schema}.transactions t set status = u.status, confirm_reject_timestamp = u.at, reject_reason = u.reason,
            position = u.position, updated_at = u.at
       from unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::bigint[]) as u(id, status, at, reason, position)
      where t.id = u.id and t.status = 'pending'`,
    [rows.map((r) => r.transactionId), rows.map((r) => r.status), rows.map((r) => r.confirmRejectTimestamp), rows.map((r) => r.rejectReason),
      rows.map((r) => r.position.toString())],
  );
  // A settlement always finds its pending row: only final transactions are ever archived.
  if (rowCount !== rows.length) throw new Error(`Settled ${rowCount} of ${rows.length} pending transactions: the read model has drifted.`);
}

async function writeSnapshots(client: PoolClient, schema: string, { snapshots }: Changeset): Promise<void> {
  if (snapshots.length === 0) return;
  await client.query(
    `insert into ${schema}.transaction_snapshots (wallet_id, position, revision, snapshot_date, ledger, pending_debits, pending_credits, transaction_count)
     select * from unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::timestamptz[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[])`,
    [snapshots.map((s) => s.walletId), snapshots.map((s) => s.position.toString()), snapshots.map((s) => s.revision), snapshots.map((s) => s.snapshotDate),
      snapshots.map((s) => s.ledgerMinor.toString()), snapshots.map((s) => s.pendingDebitsMinor.toString()), snapshots.map((s) => s.pendingCreditsMinor.toString()),
      snapshots.map((s) => s.transactionCount.toString())],
  );
}
