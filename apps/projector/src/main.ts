import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '@wallet/config';
import pino from 'pino';
import { ProjectorModule } from './projector.module';

const log = pino({ name: 'projector' });

/** Starts the projector as an application context (no HTTP) and waits for SIGINT or SIGTERM. */
async function main(): Promise<void> {
  loadConfig();
  const app = await NestFactory.createApplicationContext(ProjectorModule, { logger: ['error', 'warn'] });
  log.info('Projector started; it has no projections to run yet');
  const stop = async (signal: string): Promise<void> => {
    log.info(`${signal} received: stopping`);
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', (signal) => void stop(signal));
  process.once('SIGTERM', (signal) => void stop(signal));
}

main().catch((error: unknown) => {
  log.fatal(error instanceof ConfigError ? error.message : { err: error }, 'Projector failed to start');
  process.exit(1);
});
