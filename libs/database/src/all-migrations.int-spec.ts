import type { Pool } from 'pg';
import { inTransaction, migrate } from '@wallet/postgres';
import { type TestDatabase, createTestDatabase, schemaCatalog } from '@wallet/testing';
import { allMigrations } from './all-migrations';

/** The names the previous release (f6a88b2) recorded, in the order its single list applied them. */
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
];

/** What this release adds to it. */
const NEW_IN_THIS_RELEASE = ['0010-snapshot-ids', '0011-idempotency-owners', '0012-transaction-lifecycle', '0013-limits-references-totals', '0014-conflict-missed-events', '0015-webhooks-scope', '0016-webhooks'];

/**
 * Migrates as the previous release's runner did: its bookkeeping table, then each migration of
 * its one list in its own transaction with its name. The SQL is the same text (pinned by
 * all-migrations.spec.ts).
 */
async function migrateAsPreviousRelease(pool: Pool): Promise<void> {
  await pool.query('create table if not exists public.schema_migrations (name text primary key, applied_at timestamptz not null default now())');
  for (const name of PREVIOUS_RELEASE) {
    await inTransaction(pool, async (client) => {
      await client.query(allMigrations.find((migration) => migration.name === name)!.up);
      await client.query('insert into public.schema_migrations (name) values ($1)', [name]);
    });
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

  it("applies to an empty database every owner's migrations, in order", async () => {
    expect(await migrate(fresh.pool, allMigrations)).toEqual([...PREVIOUS_RELEASE, ...NEW_IN_THIS_RELEASE]);
    expect((await recorded(fresh.pool)).map((row) => row.name)).toEqual([...PREVIOUS_RELEASE, ...NEW_IN_THIS_RELEASE]);
  });

  it('upgrades a database the previous release migrated: only the new migrations run, to the schema of a fresh database', async () => {
    const recordedBefore = await recorded(previous.pool);
    expect(await migrate(previous.pool, allMigrations)).toEqual(NEW_IN_THIS_RELEASE);
    expect(await schemaCatalog(previous.pool)).toEqual(await schemaCatalog(fresh.pool));
    const recordedAfter = await recorded(previous.pool);
    expect(recordedAfter.slice(0, PREVIOUS_RELEASE.length)).toEqual(recordedBefore);
    expect(recordedAfter.map((row) => row.name)).toEqual([...PREVIOUS_RELEASE, ...NEW_IN_THIS_RELEASE]);
  });

  it('re-runs nothing on a database already up to date, and leaves its schema as it was', async () => {
    const [schemaBefore, recordedBefore] = await Promise.all([schemaCatalog(previous.pool), recorded(previous.pool)]);
    expect(await migrate(previous.pool, allMigrations)).toEqual([]);
    expect(await schemaCatalog(previous.pool)).toEqual(schemaBefore);
    expect(await recorded(previous.pool)).toEqual(recordedBefore);
  });
});
