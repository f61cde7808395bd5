import { fundedWallet, post } from '../support/http';
import { type Exit, startServiceProcess } from './support/service-process';
import { ownDatabaseAndApi, sleep } from './support/fault-case';
import { blockAppends } from '../support/append-lock';

/** A bound that does not keep the test run alive once the race is decided. */
const bound = (ms: number) => new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), ms).unref());

const SHUTDOWN_TIMEOUT_MS = 8_000;
/** Scheduling of the exit on a loaded, shared machine. */
const MARGIN_MS = 3_000;

/**
 * An impatient operator (or an orchestrator and a terminal at once) signals twice: the second
 * signal is ignored, the first stop runs to its end and the process exits with 0.
 */
describe('a second SIGTERM while the API stops', () => {
  const own = ownDatabaseAndApi();

  it('does not cut the stop short: the request in flight is answered and the exit code is 0 within SHUTDOWN_TIMEOUT_MS', async () => {
    own.api = await startServiceProcess({ app: 'wallet-api', databaseUrl: own.database.url, env: { SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) } });
    const walletId = await fundedWallet(own.api.baseUrl, '100');
    // A credit held in flight by the append lock keeps the stop going while the second signal comes.
    const unblock = await blockAppends(own.database.url);
    try {
      const credit = post(own.api.baseUrl, `/v1/wallets/${walletId}/transactions`, { type: 'credit', amount: '1' }, { 'idempotency-key': 'in-flight' });
      await sleep(500);
      const started = Date.now();
      own.api.kill('SIGTERM');
      await sleep(300);
      own.api.kill('SIGTERM');
      await sleep(300);
      await unblock();
      const exit = await Promise.race([own.api.exited, bound(SHUTDOWN_TIMEOUT_MS + MARGIN_MS)]);
      const tookMs = Date.now() - started;
      expect({ exit, output: (exit as Exit).code === 0 ? '' : own.api.output() }).toEqual({ exit: { code: 0, signal: null }, output: '' });
      expect(tookMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
      expect((await credit).status).toBe(201);
      own.api = undefined;
    } finally {
      await unblock();
    }
  });
});
