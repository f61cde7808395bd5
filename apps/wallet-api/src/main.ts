import { ConfigError, loadConfig } from '@wallet/config';
import { createPool, migrate, startEmbeddedPostgres } from '@wallet/read-model';
import pino from 'pino';
import { createApp } from './create-app';

const log = pino({ name: 'wallet-api' });

/**
 * Starts the API: the embedded PostgreSQL when DATABASE_URL is unset, migrations, then
 * HTTP. SIGINT and SIGTERM stop taking requests, let in-flight ones finish, then stop the
 * database this process started.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const embedded = config.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({ dataDir: config.DATA_DIR, port: config.EMBEDDED_PG_PORT, log: (message) => log.info(message) });
  const databaseUrl = config.DATABASE_URL ?? embedded!.connectionString;
  await runMigrations(databaseUrl);
  const app = await createApp({ config, databaseUrl });
  await app.listen({ port: config.PORT, host: config.HOST });
  log.info(`Wallet API listening on http://${config.HOST}:${config.PORT} (docs at /docs)`);

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal} received: finishing in-flight requests`);
    const forceExit = setTimeout(() => {
      log.error(`Shutdown took longer than ${config.SHUTDOWN_TIMEOUT_MS} ms; exiting`);
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS).unref();
    await app.close();
    await embedded?.stop();
    clearTimeout(forceExit);
    log.info('Stopped');
    process.exit(0);
  };
  process.once('SIGINT', (signal) => void stop(signal));
  process.once('SIGTERM', (signal) => void stop(signal));
}

async function runMigrations(databaseUrl: string): Promise<void> {
  const pool = createPool({ connectionString: databaseUrl, max: 1, applicationName: 'wallet-migrate' }, (error) => log.error(error));
  try {
    const applied = await migrate(pool);
    if (applied.length > 0) log.info(`Applied migrations: ${applied.join(', ')}`);
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    log.fatal(error.message);
  } else {
    log.fatal({ err: error }, 'Wallet API failed to start');
  }
  process.exit(1);
});
