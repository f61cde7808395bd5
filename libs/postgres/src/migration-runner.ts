import type { Pool, PoolClient } from 'pg';
import { Umzug, type UmzugStorage } from 'umzug';
import { type Migration, assertStrictlyOrdered } from './migration';
import { inTransactionOn } from './pg-transaction';

const MIGRATION_LOCK_KEY = 7308611574;

/**
 * Keeps the names of applied migrations in a table of their own. Each name is written by
 * the migration's own transaction (see migrate), so a crash can never leave a
 * migration applied but unrecorded; logMigration has nothing left to do.
 */
class PostgresMigrationStorage implements UmzugStorage {
  constructor(private readonly client: PoolClient) {}

  async logMigration(): Promise<void> {}

  async unlogMigration({ name }: { name: string }): Promise<void> {
    await this.client.query('delete from public.schema_migrations where name = $1', [name]);
  }

  async executed(): Promise<string[]> {
    const { rows } = await this.client.query<{ name: string }>('select name from public.schema_migrations order by name');
    return rows.map((row) => row.name);
  }
}

/**
 * Applies the migrations of `migrations` not yet recorded in `public.schema_migrations`, in
 * the list's order, each in its own transaction, and returns their names. The list must be
 * strictly ordered by number (see migrationSequence); a migration is known by its name alone,
 * so one applied before is never run again. An advisory lock lets the API and the projector
 * start side by side without racing each other.
 */
export async function migrate(pool: Pool, migrations: readonly Migration[]): Promise<string[]> {
  assertStrictlyOrdered(migrations);
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(
      'create table if not exists public.schema_migrations (name text primary key, applied_at timestamptz not null default now())',
    );
    const umzug = new Umzug({
      migrations: migrations.map((migration) => ({
        name: migration.name,
        up: () =>
          inTransactionOn(
            client,
            async () => {
              await client.query(migration.up);
              await client.query('insert into public.schema_migrations (name) values ($1)', [migration.name]);
            },
            (rollbackError) => {
              broken = rollbackError;
            },
          ),
      })),
      storage: new PostgresMigrationStorage(client),
      logger: undefined,
    });
    const applied = await umzug.up();
    return applied.map((migration) => migration.name);
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    client.release(broken);
  }
}
