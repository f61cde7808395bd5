import type { Pool } from 'pg';
import { type EventStore, PostgresEventStore } from '@wallet/event-store';
import { type WalletEvent, encodeWalletEvent, walletStream } from '@wallet/domain';
import { type TestDatabase, createTestDatabase } from './test-database';

const metadata = { correlationId: 'spec', causationId: 'spec' };

/** Columns that legitimately differ between two projections of the same log. */
const VOLATILE_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  // An identity value: its numbering depends on the batches and on rolled-back inserts.
  transaction_snapshots: ['id'],
  // The wall-clock time of the last batch.
  projection_checkpoints: ['updated_at'],
};

/**
 * Tables whose rows depend on how the log was cut into batches: one totals row per currency
 * per batch. Each row is right at its position, which specs of the totals check on their own.
 */
const BATCH_DEPENDENT_TABLES: readonly string[] = ['currency_totals_history'];

export interface StoreTestDatabase extends TestDatabase {
  /** The event store on this database; live subscriptions poll every 20 ms. */
  readonly store: PostgresEventStore;
}

/** A fresh, migrated database with its event store; drop() closes both. */
export async function createStoreTestDatabase(poolMax?: number): Promise<StoreTestDatabase> {
  const database = await createTestDatabase(poolMax);
  const store = new PostgresEventStore(database.pool, { connectionString: database.url }, { pollIntervalMs: 20 });
  return {
    ...database,
    store,
    drop: async () => {
      await store.close();
      await database.drop();
    },
  };
}

/** Appends wallet events one by one, in the given order, each to its wallet's stream. */
export async function appendWalletEvents(store: EventStore, events: readonly WalletEvent[]): Promise<bigint> {
  let position = 0n;
  for (const event of events) {
    const result = await store.append(walletStream(event.data.walletId), [{ ...encodeWalletEvent(event), metadata }], 'any');
    position = result.position;
  }
  return position;
}

/**
 * Catches a projector up to the last event of the log. One catchUp() can stop short: the
 * log shows no event while an older transaction anywhere on the server is still running
 * (such as another spec file creating its database), so it is retried until the head.
 */
export async function catchUpToHead(projector: { catchUp(): Promise<bigint> }, pool: Pool): Promise<bigint> {
  const { rows } = await pool.query<{ head: string }>('select coalesce(max(position), 0) as head from event_store.events');
  const head = BigInt(rows[0]!.head);
  for (let attempt = 0; attempt < 1_000; attempt += 1) {
    const reached = await projector.catchUp();
    if (reached >= head) return reached;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`The projector did not reach position ${head}.`);
}

/**
 * Every row of every table of a read-model schema, volatile columns and batch-dependent tables
 * left out, each table's rows in a canonical order: two projections of the same log dump equal.
 */
export async function dumpReadModel(pool: Pool, schema: string): Promise<Record<string, unknown[]>> {
  const { rows: tables } = await pool.query<{ table_name: string }>(
    `select table_name from information_schema.tables where table_schema = $1 and table_type = 'BASE TABLE' order by table_name`,
    [schema],
  );
  const dump: Record<string, unknown[]> = {};
  for (const { table_name: table } of tables) {
    if (BATCH_DEPENDENT_TABLES.includes(table)) continue;
    const { rows } = await pool.query<Record<string, unknown>>(`select * from ${schema}.${table}`);
    const volatile = VOLATILE_COLUMNS[table] ?? [];
    const kept = rows.map((row) => Object.fromEntries(Object.entries(row).filter(([column]) => !volatile.includes(column))));
    dump[table] = kept.map((row) => [JSON.stringify(row), row] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
  }
  return dump;
}
