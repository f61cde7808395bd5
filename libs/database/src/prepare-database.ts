import { type AppConfig, ConfigError } from '@wallet/config';
import { type EmbeddedPostgres, EmbeddedPostgresInUseError, PostgresUserAccessError, createPool, migrate, startEmbeddedPostgres } from '@wallet/postgres';
import { allMigrations } from './all-migrations';

/** The database an entry point works with, migrated. */
export interface PreparedDatabase {
  readonly databaseUrl: string;
  /** Stops the embedded server if this process started it. */
  readonly stop: () => Promise<void>;
}

/**
 * Which entry point asks, for ownership of the embedded server: its owner (the process that
 * started it, or adopted it from one that died) stops it on exit. `exclusive`: a second
 * process of the same app on the same DATA_DIR refuses to start (one `npm start` per folder).
 * The CLI, short-lived, never owns or adopts: it uses a running server and leaves it running
 * (even one whose owner died: the next app start adopts it), and a server it had to start for
 * itself it stops after the command, unless an app took it over meanwhile.
 */
export interface DatabaseUser {
  readonly app: 'wallet-api' | 'projector' | 'cli';
  readonly exclusive?: boolean;
}

/**
 * The database every entry point starts with: DATABASE_URL's server, or the embedded one
 * (started, or found already running under DATA_DIR), with every owner's migrations applied.
 */
export async function prepareDatabase(config: AppConfig, log: (message: string) => void, user: DatabaseUser = { app: 'cli' }): Promise<PreparedDatabase> {
  const embedded = config.DATABASE_URL ? undefined : await startEmbedded(config, log, user);
  const databaseUrl = config.DATABASE_URL ?? embedded!.connectionString;
  const pool = createPool({ connectionString: databaseUrl, max: 1, applicationName: 'wallet-migrate' }, (error) => log(error.message));
  try {
    const applied = await migrate(pool, allMigrations);
    if (applied.length > 0) log(`Applied migrations: ${applied.join(', ')}`);
  } finally {
    await pool.end();
  }
  return { databaseUrl, stop: async () => embedded?.stop() };
}

/** A data directory the server's user cannot reach, or one in use, is the operator's to fix: a ConfigError (one line). */
async function startEmbedded(config: AppConfig, log: (message: string) => void, user: DatabaseUser): Promise<EmbeddedPostgres> {
  try {
    const owner = user.app === 'cli' ? undefined : user;
    return await startEmbeddedPostgres({ dataDir: config.DATA_DIR, port: config.EMBEDDED_PG_PORT, log, owner });
  } catch (error) {
    if (error instanceof PostgresUserAccessError || error instanceof EmbeddedPostgresInUseError) throw new ConfigError(error.message);
    throw error;
  }
}
