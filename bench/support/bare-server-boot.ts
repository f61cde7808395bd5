import Fastify, { type FastifyInstance } from 'fastify';
import { Pool } from 'pg';

/**
 * What every bare floor server shares: a pool on DATABASE_URL of DB_POOL_MAX connections
 * (the API's size), a Fastify app without logging, a readiness route, and a clean stop on
 * SIGTERM. `setup` prepares the database and adds the server's routes.
 */
export function runBareServer(setup: (app: FastifyInstance, pool: Pool) => Promise<void>): void {
  const databaseUrl = process.env['DATABASE_URL'];
  if (!databaseUrl) throw new Error('DATABASE_URL is required.');
  const port = Number(process.env['PORT']);
  if (!Number.isInteger(port) || port < 1) throw new Error('PORT is required.');
  const pool = new Pool({ connectionString: databaseUrl, max: Number(process.env['DB_POOL_MAX'] ?? 32) });
  const app = Fastify({ logger: false });
  app.get('/health/ready', async () => ({ status: 'ok' }));
  const start = async (): Promise<void> => {
    await setup(app, pool);
    await app.listen({ port, host: '127.0.0.1' });
    const close = (): void => {
      void app
        .close()
        .then(() => pool.end())
        .finally(() => process.exit(0));
    };
    process.once('SIGTERM', close);
    process.once('SIGINT', close);
  };
  start().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

/** An amount as the API takes it: a positive integer in minor units, as a string, below 2^63. */
export const AMOUNT_DIGITS = /^[1-9][0-9]{0,18}$/;
