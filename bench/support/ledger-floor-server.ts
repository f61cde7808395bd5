import { AMOUNT_DIGITS, runBareServer } from './bare-server-boot';
import { INSUFFICIENT_FUNDS, LEDGER_FLOOR_SCHEMA, NO_ACCOUNT } from './ledger-floor';

/**
 * The floor of a durable transfer over HTTP: POST /v1/transfers with the API's body
 * ({ fromWalletId, toWalletId, amount }) runs bench_ledger_create_transfer (ledger-floor.ts)
 * in one autocommit statement, and answers 201 { id }, 422 when the source lacks the funds,
 * 404 for an unknown account. No logging, no events. The transfer scenarios run it in a
 * process of its own, on the API's database, with the API's pool size; their setup creates
 * the accounts by SQL with the API's wallet ids and funding.
 */
interface TransferBody {
  fromWalletId?: unknown;
  toWalletId?: unknown;
  amount?: unknown;
}

runBareServer(async (app, pool) => {
  await pool.query(LEDGER_FLOOR_SCHEMA);
  app.post<{ Body: TransferBody | null }>('/v1/transfers', async (request, reply) => {
    const { fromWalletId, toWalletId, amount } = request.body ?? {};
    if (typeof fromWalletId !== 'string' || typeof toWalletId !== 'string' || fromWalletId === toWalletId || typeof amount !== 'string' || !AMOUNT_DIGITS.test(amount)) {
      return reply.code(400).send({ code: 'VALIDATION_FAILED' });
    }
    try {
      const { rows } = await pool.query<{ id: string }>('select bench_ledger_create_transfer($1, $2, $3) as id', [fromWalletId, toWalletId, amount]);
      return await reply.code(201).send({ id: rows[0]!.id });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === INSUFFICIENT_FUNDS) return reply.code(422).send({ code: 'INSUFFICIENT_FUNDS' });
      if (code === NO_ACCOUNT) return reply.code(404).send({ code: 'WALLET_NOT_FOUND' });
      throw error;
    }
  });
});
