import { type AppConfig, loadConfig } from '@wallet/config';
import { type EventStore, type EventStoreKind, createEventStore } from '@wallet/event-store';
import { createPool } from '@wallet/postgres';
import { prepareDatabase } from '@wallet/database';
import type { Pool } from 'pg';

/** What a command works with: configuration, a small pool, the event store and a log on stderr. */
export interface CliDatabase {
  readonly config: AppConfig;
  readonly pool: Pool;
  /** The configured event store (EVENT_STORE). */
  readonly store: EventStore;
  /** Another event store of the configuration's, closed with the rest. */
  readonly openStore: (kind: EventStoreKind) => EventStore;
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
  const opened: EventStore[] = [];
  const openStore = (kind: EventStoreKind): EventStore => {
    const listenConfig = { connectionString: database.databaseUrl, application_name: 'wallet-cli-listen' };
    const store = createEventStore({ kind, pool, listenConfig, kurrentDbUrl: config.KURRENTDB_URL });
    opened.push(store);
    return store;
  };
  try {
    return await work({ config, pool, store: openStore(config.EVENT_STORE), openStore, log: logToStderr });
  } finally {
    await Promise.all(opened.map((store) => store.close()));
    await pool.end();
    await database.stop();
  }
}
