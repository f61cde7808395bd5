import { Pool } from 'pg';
import { type TestDatabase, createTestDatabase } from '@wallet/testing';
import type { Migration } from './migration';
import { migrate } from './migration-runner';

/**
 * Each migration logs itself in a table that survives running twice, so a migration applied
 * twice shows as two rows instead of failing on an object that already exists.
 */
const logged = (name: string, extra = ''): Migration => ({
  name,
  up: `create table if not exists public.runs (name text not null); ${extra} insert into public.runs (name) values ('${name}');`,
});
const first = [logged('0001-first'), logged('0002-second'), logged('0003-third')];

describe('migrate', () => {
  let database: TestDatabase;
  const runs = async (): Promise<string[]> => (await database.pool.query<{ name: string }>('select name from public.runs order by name')).rows.map((row) => row.name);
  const recorded = async (): Promise<string[]> =>
    (await database.pool.query<{ name: string }>('select name from public.schema_migrations order by name')).rows.map((row) => row.name);

  beforeEach(async () => {
    database = await createTestDatabase(4, 'empty');
  });
  afterEach(() => database.drop());

  it('applies a list in order, records each name, and applies nothing the second time', async () => {
    expect(await migrate(database.pool, first)).toEqual(['0001-first', '0002-second', '0003-third']);
    expect(await migrate(database.pool, first)).toEqual([]);
    expect(await runs()).toEqual(['0001-first', '0002-second', '0003-third']);
    expect(await recorded()).toEqual(['0001-first', '0002-second', '0003-third']);
  });

  it('applies only what a longer list adds', async () => {
    await migrate(database.pool, first);
    expect(await migrate(database.pool, [...first, logged('0004-fourth')])).toEqual(['0004-fourth']);
    expect(await runs()).toEqual(['0001-first', '0002-second', '0003-third', '0004-fourth']);
  });

  it('leaves a failing migration unapplied and unrecorded, keeps the ones before it, and tries it again next time', async () => {
    const failing = [logged('0001-first'), logged('0002-broken', 'select 1 / 0;')];
    await expect(migrate(database.pool, failing)).rejects.toThrow('division by zero');
    expect(await runs()).toEqual(['0001-first']);
    expect(await recorded()).toEqual(['0001-first']);
    expect(await migrate(database.pool, [logged('0001-first'), logged('0002-broken')])).toEqual(['0002-broken']);
  });

  it('refuses a list out of order before touching the database', async () => {
    await expect(migrate(database.pool, [logged('0002-second'), logged('0001-first')])).rejects.toThrow('Migration 0001-first comes after 0002-second: out of order.');
    await expect(migrate(database.pool, [logged('0001-first'), logged('0001-again')])).rejects.toThrow(/share the number 1/);
    const { rows } = await database.pool.query(`select to_regclass('public.schema_migrations') as table`);
    expect(rows[0].table).toBeNull();
  });

  it('lets two processes migrate at once: each migration runs exactly once, the second waits and finds nothing to do', async () => {
    // Slow enough that the second caller arrives while the first still holds the lock.
    const slow = first.map((migration) => ({ ...migration, up: `select pg_sleep(0.2); ${migration.up}` }));
    const other = new Pool({ connectionString: database.url, max: 1 });
    other.on('error', () => undefined);
    try {
      const [a, b] = await Promise.all([migrate(database.pool, slow), migrate(other, slow)]);
      expect([...a, ...b].sort()).toEqual(['0001-first', '0002-second', '0003-third']);
      expect([a, b].map((applied) => applied.length).sort()).toEqual([0, 3]);
    } finally {
      await other.end();
    }
    expect(await runs()).toEqual(['0001-first', '0002-second', '0003-third']);
  });
});
