import type { Pool, PoolClient } from 'pg';
import { migrate } from '@wallet/postgres';
import { type TestDatabase, createTestDatabase, schemaCatalog } from '@wallet/testing';
import { allMigrations } from './all-migrations';

/** The names the previous release recorded, in the order its single list applied them. */
const PREVIOUS_RELEASE = [
  '0001-event-store',
  '0002-read-model',
  '0003-append-hardening',
  '0004-transaction-groups',
  '0005-event-feed',
  '0006-event-copy',
  '0007-group-commit',
  '0008-api-keys',
  '0009-event-chain',
  '0010-snapshot-ids',
];

/** Migrations added since that release: the only ones its databases have still to run. */
const SINCE_PREVIOUS_RELEASE = ['0011-idempotency-owners'];

/**
 * Migrates as the previous release's runner did: its bookkeeping table, then each migration of
 * its one list in its own transaction with its name. The SQL is the same text (pinned by
 * all-migrations.spec.ts).
 */
async function migrateAsPreviousRelease(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('create table if not exists public.schema_migrations (name text primary key, applied_at timestamptz not null default now())');
    for (const name of PREVIOUS_RELEASE) {
      await inTransaction(client, async () => {
        await client.query(allMigrations.find((migration) => migration.name === name)!.up);
        await client.query('insert into public.schema_migrations (name) values ($1)', [name]);
      });
    }
  } finally {
    client.release();
  }
}

async function inTransaction(client: PoolClient, work: () => Promise<void>): Promise<void> {
  await client.query('begin');
  try {
    await work();
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}

const recorded = async (pool: Pool): Promise<Array<{ name: string; applied_at: Date }>> =>
  (await pool.query<{ name: string; applied_at: Date }>('select name, applied_at from public.schema_migrations order by name')).rows;

describe('every migration, in the recorded order', () => {
  let previous: TestDatabase;
  let fresh: TestDatabase;

  beforeAll(async () => {
    [previous, fresh] = await Promise.all([createTestDatabase(2, 'empty'), createTestDatabase(2, 'empty')]);
    await migrateAsPreviousRelease(previous.pool);
  });
  afterAll(() => Promise.all([previous.drop(), fresh.drop()]));

  it('re-runs nothing the previous release applied on its databases: only the migrations added since', async () => {
    const recordedBefore = await recorded(previous.pool);
    expect(await migrate(previous.pool, allMigrations)).toEqual(SINCE_PREVIOUS_RELEASE);
    expect((await recorded(previous.pool)).slice(0, recordedBefore.length)).toEqual(recordedBefore);
  });

  it("applies every owner's migrations to an empty database, in order, to the schema an upgraded database has", async () => {
    expect(await migrate(fresh.pool, allMigrations)).toEqual([...PREVIOUS_RELEASE, ...SINCE_PREVIOUS_RELEASE]);
    expect(await schemaCatalog(fresh.pool)).toEqual(await schemaCatalog(previous.pool));
    expect((await recorded(fresh.pool)).map((row) => row.name)).toEqual([...PREVIOUS_RELEASE, ...SINCE_PREVIOUS_RELEASE]);
  });
});
