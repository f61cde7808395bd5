import { ConfigError, applyHeapPolicy, loadConfig, logDestination } from '@wallet/config';
import { prepareDatabase } from '@wallet/database';
import pino from 'pino';
import { stopGracefully } from './admission/graceful-stop';
import { createApp } from './create-app';

// The destination that survives a closed stdout (see log-destination.ts), shared with Fastify's logger.
const log = pino({ name: 'wallet-api' }, logDestination());

/**
 * Starts the API (and, unless PROJECTOR_IN_PROCESS=false, the projector beside it): the
 * embedded PostgreSQL when DATABASE_URL is unset, migrations, then HTTP. SIGINT and SIGTERM
 * answer new requests 503, let in-flight ones finish, stop the application, then the database
 * this process started; all within SHUTDOWN_TIMEOUT_MS, or the process exits with 1.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  applyHeapPolicy(config);
  const database = await prepareDatabase(config, (message) => log.info(message), { app: 'wallet-api', exclusive: true });
  const app = await createApp({ config, databaseUrl: database.databaseUrl });
  await app.listen({ port: config.PORT, host: config.HOST });
  log.info(`Wallet API listening on http://${config.HOST}:${config.PORT} (docs at /docs, operator console at http://${config.HOST}:${config.PORT}/console)`);

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) {
      // A second signal does not cut the stop short (the database this process started would be
      // left running); SHUTDOWN_TIMEOUT_MS still bounds it.
      log.warn(`${signal} received while stopping: ignored`);
      return;
    }
    stopping = true;
    log.info(`${signal} received: finishing in-flight requests`);
    const forceExit = setTimeout(() => {
      log.error(`Shutdown took longer than ${config.SHUTDOWN_TIMEOUT_MS} ms; exiting`);
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS).unref();
    try {
      await stopGracefully(app);
      await database.stop();
    } catch (error: unknown) {
      log.error({ err: error }, 'Shutdown failed');
      process.exit(1);
    }
    clearTimeout(forceExit);
    log.info('Stopped');
    process.exit(0);
  };
  process.on('SIGINT', (signal) => void stop(signal));
  process.on('SIGTERM', (signal) => void stop(signal));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    log.fatal(error.message);
  } else {
    log.fatal({ err: error }, 'Wallet API failed to start');
  }
  process.exit(1);
});
