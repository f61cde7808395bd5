import { AMOUNT_DIGITS, runBareServer } from './bare-server-boot';

/**
 * The floor of a durable HTTP write: a bare Fastify route doing one autocommit INSERT per
 * request, nothing else (no logging, no domain, no events). The http-credit scenario runs
 * it in a process of its own, on the API's database, with the API's pool size.
 */
interface CreditParams {
  walletId: string;
}

runBareServer(async (app, pool) => {
  await pool.query(
    `create table if not exists bench_bare_credits (
       id bigserial primary key,
       wallet_id uuid not null,
       amount bigint not null,
       body jsonb not null,
       recorded_at timestamptz not null default now())`,
  );
  app.post<{ Params: CreditParams; Body: unknown }>('/v1/wallets/:walletId/transactions', async (request, reply) => {
    const body = request.body as { amount?: unknown } | null;
    const amount = body?.amount;
    if (typeof amount !== 'string' || !AMOUNT_DIGITS.test(amount)) return reply.code(400).send({ code: 'VALIDATION_FAILED' });
    const { walletId } = request.params;
    const { rows } = await pool.query<{ id: string }>(
      'insert into bench_bare_credits(wallet_id, amount, body) values ($1, $2, $3) returning id',
      [walletId, amount, body],
    );
    return reply.code(201).send({ id: rows[0]!.id, walletId, amount });
  });
});
