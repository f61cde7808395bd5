import { type AppConfig, loadConfig } from '@wallet/config';
import { PostgresEventStore } from '@wallet/event-store';
import { createPool, prepareDatabase } from '@wallet/read-model';
import type { Pool } from 'pg';

/** What a command works with: configuration, a small pool, the event store and a log on stderr. */
export interface CliDatabase {
  readonly config: AppConfig;
  readonly pool: Pool;
  readonly store: PostgresEventStore;
  readonly log: (message: string) => void;
}

/** Writes to stderr, so that stdout carries only a command's answer (`--json`). */
export const logToStderr = (message: string): void => void process.stderr.write(`${message}\n`);

/**
 * Runs `work` against the service's database: DATABASE_URL's server, or the embedded one
 * (left running afterwards only if it was running before), migrated like the apps do it.
 */
export async function withDatabase<T>(work: (database: CliDatabase) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await prepareDatabase(config, logToStderr);
  const pool = createPool({ connectionString: database.databaseUrl, max: 4, applicationName: 'wallet-cli' }, (error) => logToStderr(error.message));
  const store = new PostgresEventStore(pool, { connectionString: database.databaseUrl, application_name: 'wallet-cli-listen' });
  try {
    return await work({ config, pool, store, log: logToStderr });
  } finally {
    await store.close();
    await pool.end();
    await database.stop();
  }
}
