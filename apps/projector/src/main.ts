import { NestFactory } from '@nestjs/core';
import { ConfigError, applyHeapPolicy, loadConfig, logDestination } from '@wallet/config';
import { ProjectorService } from '@wallet/read-model';
import { prepareDatabase } from '@wallet/database';
import pino from 'pino';
import { ProjectorModule } from './projector.module';

// The destination that survives a closed stdout, as the API's (see log-destination.ts).
const log = pino({ name: 'projector' }, logDestination());

/**
 * Runs the projector alone (no HTTP) until SIGINT or SIGTERM. An event it cannot apply stops
 * it with exit code 1; the position is logged and kept in the checkpoint table for /health/ready.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  applyHeapPolicy(config);
  const database = await prepareDatabase(config, (message) => log.info(message), { app: 'projector' });
  const app = await NestFactory.createApplicationContext(ProjectorModule.forRoot({ config, databaseUrl: database.databaseUrl }), {
    logger: ['log', 'error', 'warn'],
  });
  let stopping = false;
  const stop = async (signal: string, code: number): Promise<void> => {
    if (stopping) {
      // A second signal does not cut the stop short (the database this process started would be left running).
      log.warn(`${signal} while stopping: ignored`);
      return;
    }
    stopping = true;
    log.info(`${signal}: stopping`);
    try {
      await app.close();
      await database.stop();
    } catch (error: unknown) {
      log.error({ err: error }, 'Stopping failed');
      process.exit(1);
    }
    process.exit(code);
  };
  process.on('SIGINT', (signal) => void stop(signal, 0));
  process.on('SIGTERM', (signal) => void stop(signal, 0));
  app.get(ProjectorService).done.catch(() => void stop('projection halted', 1));
}

main().catch((error: unknown) => {
  log.fatal(error instanceof ConfigError ? error.message : { err: error }, 'Projector failed to start');
  process.exit(1);
});
