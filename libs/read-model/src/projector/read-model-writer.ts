import type { Pool, PoolClient } from 'pg';
import { ArrayParams } from './array-params';
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

/** Balance rows of the given wallets, as the read model holds them (as `db` sees it). */
export async function loadBalances(db: Pool | PoolClient, schema: string, walletIds: readonly string[]): Promise<Map<string, BalanceRow>> {
  if (walletIds.length === 0) return new Map();
  const { rows } = await db.query<BalanceDbRow>(`select * from ${schema}.balances where wallet_id = any($1::uuid[])`, [walletIds]);
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

/** Where a batch moves its projection's checkpoint: from the position it was locked at, to the batch's last. */
export interface CheckpointMove {
  readonly name: string;
  readonly from: bigint;
  readonly to: bigint;
}

/** A changeset as the one statement that writes it; the checkpoint's move is given when it runs. */
export interface ChangesetStatement {
  readonly text: string;
  /** The parameters after the checkpoint's three ($1 from, $2 to, $3 name). */
  readonly values: readonly unknown[];
  readonly settlements: number;
}

/**
 * Writes a changeset and moves the checkpoint in one statement: one set-based part per
 * table, each taking whole columns as arrays. The parts of one statement cannot see each
 * other's rows; none needs to, since the fold already merged everything a batch does to one
 * row (a hold settled in the batch that placed it is inserted settled).
 */
export async function writeChangeset(client: PoolClient, statement: ChangesetStatement, checkpoint: CheckpointMove): Promise<void> {
  const { rows } = await client.query<{ settled: number; moved: number }>(statement.text, [
    checkpoint.from.toString(),
    checkpoint.to.toString(),
    checkpoint.name,
    ...statement.values,
  ]);
  const { settled, moved } = rows[0]!;
  // A settlement always finds its pending row: only final transactions are ever archived.
  if (settled !== statement.settlements) throw new Error(`Settled ${settled} of ${statement.settlements} pending transactions: the read model has drifted.`);
  if (moved !== 1) throw new Error(`Checkpoint ${checkpoint.name} is no longer at ${checkpoint.from}: another projector is running.`);
}

/** Encodes a changeset as the statement writeChangeset runs: the costly part, done ahead of the transaction. */
export function changesetStatement(schema: string, changes: Changeset): ChangesetStatement {
  const p = new ArrayParams(3);
  const created = [...changes.newWallets.values()];
  const createdTouches = created.map((wallet) => changes.touchedWallets.get(wallet.id)!);
  const updated = [...changes.touchedWallets].filter(([id]) => !changes.newWallets.has(id));
  const { owners, snapshots } = changes;
  const balances = [...changes.balances.values()];
  const transactions = [...changes.newTransactions.values()];
  const settlements = [...changes.settlements.values()];
  const text = `with new_wallets as (
       insert into ${schema}.wallets (id, type, currency, metadata, created_at, updated_at, version, position)
       select * from unnest(${p.uuid(created, (w) => w.id)}, ${p.text(created, (w) => w.type)}, ${p.text(created, (w) => w.currency)},
         ${p.jsonb(created, (w) => w.metadata)}, ${p.timestamptz(created, (w) => w.createdAt)}, ${p.timestamptz(createdTouches, (t) => t.updatedAt)},
         ${p.int4(createdTouches, (t) => t.version)}, ${p.int8(createdTouches, (t) => t.position)})
     ), touched_wallets as (
       update ${schema}.wallets w set updated_at = u.updated_at, version = u.version, position = u.position
         from unnest(${p.uuid(updated, ([id]) => id)}, ${p.timestamptz(updated, ([, t]) => t.updatedAt)}, ${p.int4(updated, ([, t]) => t.version)},
           ${p.int8(updated, ([, t]) => t.position)}) as u(id, updated_at, version, position)
        where w.id = u.id
     ), new_owners as (
       insert into ${schema}.wallet_owners (wallet_id, owner_type, owner_ref, created_at)
       select * from unnest(${p.uuid(owners, (o) => o.walletId)}, ${p.text(owners, (o) => o.ownerType)}, ${p.text(owners, (o) => o.ownerRef)},
         ${p.timestamptz(owners, (o) => o.createdAt)})
       on conflict do nothing
     ), new_balances as (
       insert into ${schema}.balances (wallet_id, ledger, pending_debits, pending_credits, transaction_count, revision, position, events_since_snapshot, last_snapshot_at)
       select * from unnest(${p.uuid(balances, (b) => b.walletId)}, ${p.int8(balances, (b) => b.ledgerMinor)}, ${p.int8(balances, (b) => b.pendingDebitsMinor)},
         ${p.int8(balances, (b) => b.pendingCreditsMinor)}, ${p.int8(balances, (b) => b.transactionCount)}, ${p.int8(balances, (b) => BigInt(b.revision))},
         ${p.int8(balances, (b) => b.position)}, ${p.int4(balances, (b) => b.eventsSinceSnapshot)}, ${p.timestamptz(balances, (b) => b.lastSnapshotAt)})
       on conflict (wallet_id) do update set ledger = excluded.ledger, pending_debits = excluded.pending_debits,
         pending_credits = excluded.pending_credits, transaction_count = excluded.transaction_count, revision = excluded.revision,
         position = excluded.position, events_since_snapshot = excluded.events_since_snapshot, last_snapshot_at = excluded.last_snapshot_at
     ), new_transactions as (
       insert into ${schema}.transactions (id, wallet_id, type, amount, status, description, metadata, group_id, hold_timestamp,
         confirm_reject_timestamp, reject_reason, expires_at, position, created_position, created_at, updated_at)
       select * from unnest(${p.uuid(transactions, (t) => t.transactionId)}, ${p.uuid(transactions, (t) => t.walletId)}, ${p.text(transactions, (t) => t.transactionType)},
         ${p.int8(transactions, (t) => t.amountMinor)}, ${p.text(transactions, (t) => t.status)}, ${p.text(transactions, (t) => t.description)},
         ${p.jsonb(transactions, (t) => t.metadata)}, ${p.uuid(transactions, (t) => t.groupId)}, ${p.timestamptz(transactions, (t) => t.holdTimestamp)},
         ${p.timestamptz(transactions, (t) => t.confirmRejectTimestamp)}, ${p.text(transactions, (t) => t.rejectReason)}, ${p.timestamptz(transactions, (t) => t.expiresAt)},
         ${p.int8(transactions, (t) => t.position)}, ${p.int8(transactions, (t) => t.createdPosition)}, ${p.timestamptz(transactions, (t) => t.createdAt)},
         ${p.timestamptz(transactions, (t) => t.updatedAt)})
     ), settled as (
       update ${schema}.transactions t set status = u.status, confirm_reject_timestamp = u.at, reject_reason = u.reason, position = u.position, updated_at = u.at
         from unnest(${p.uuid(settlements, (s) => s.transactionId)}, ${p.text(settlements, (s) => s.status)}, ${p.timestamptz(settlements, (s) => s.confirmRejectTimestamp)},
           ${p.text(settlements, (s) => s.rejectReason)}, ${p.int8(settlements, (s) => s.position)}) as u(id, status, at, reason, position)
        where t.id = u.id and t.status = 'pending'
       returning 1
     ), new_snapshots as (
       insert into ${schema}.transaction_snapshots (wallet_id, position, revision, snapshot_date, ledger, pending_debits, pending_credits, transaction_count)
       select * from unnest(${p.uuid(snapshots, (s) => s.walletId)}, ${p.int8(snapshots, (s) => s.position)}, ${p.int8(snapshots, (s) => BigInt(s.revision))},
         ${p.timestamptz(snapshots, (s) => s.snapshotDate)}, ${p.int8(snapshots, (s) => s.ledgerMinor)}, ${p.int8(snapshots, (s) => s.pendingDebitsMinor)},
         ${p.int8(snapshots, (s) => s.pendingCreditsMinor)}, ${p.int8(snapshots, (s) => s.transactionCount)})
     ), moved as (
       update ${schema}.projection_checkpoints set position = $2::bigint, updated_at = now(), failed_position = null, failure = null
        where name = $3::text and position = $1::bigint
       returning 1
     )
     select (select count(*) from settled)::int as settled, (select count(*) from moved)::int as moved`;
  return { text, values: p.values, settlements: settlements.length };
}
