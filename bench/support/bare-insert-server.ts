import Fastify from 'fastify';
import { Pool } from 'pg';

/**
 * The floor of a durable HTTP write: a bare Fastify route doing one autocommit INSERT per
 * request, nothing else (no logging, no domain, no events). The http-credit scenario runs
 * it in a process of its own, on the API's database, with the API's pool size.
 */
const databaseUrl = process.env['DATABASE_URL'];
if (!databaseUrl) throw new Error('DATABASE_URL is required.');
const port = Number(process.env['PORT'] ?? 3098);
const pool = new Pool({ connectionString: databaseUrl, max: Number(process.env['DB_POOL_MAX'] ?? 32) });

const DIGITS = /^[1-9][0-9]{0,18}$/;

interface CreditParams {
  walletId: string;
}

async function main(): Promise<void> {
  await pool.query(
    `create table if not exists bench_bare_credits (
       id bigserial primary key,
       wallet_id uuid not null,
       amount bigint not null,
       body jsonb not null,
       recorded_at timestamptz not null default now())`,
  );
  const app = Fastify({ logger: false });
  app.get('/health/ready', async () => ({ status: 'ok' }));
  app.post<{ Params: CreditParams; Body: unknown }>('/v1/wallets/:walletId/transactions', async (request, reply) => {
    const body = request.body as { amount?: unknown } | null;
    const amount = body?.amount;
    if (typeof amount !== 'string' || !DIGITS.test(amount)) return reply.code(400).send({ code: 'VALIDATION_FAILED' });
    const { walletId } = request.params;
    const { rows } = await pool.query<{ id: string }>(
      'insert into bench_bare_credits(wallet_id, amount, body) values ($1, $2, $3) returning id',
      [walletId, amount, body],
    );
    return reply.code(201).send({ id: rows[0]!.id, walletId, amount });
  });
  await app.listen({ port, host: '127.0.0.1' });
  const close = (): void => {
    void app
      .close()
      .then(() => pool.end())
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', close);
  process.once('SIGINT', close);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
