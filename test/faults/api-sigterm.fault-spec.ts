import { fundedWallet } from '../support/http';
import { checkLedger } from './support/ledger-check';
import { settledReadModel } from './support/read-model-progress';
import { countBy, runRetryingWriters } from './support/retrying-writers';
import { type Exit, startServiceProcess } from './support/service-process';
import { ownDatabaseAndApi, sleep } from './support/fault-case';

const STOPS = 2;
const WRITERS = 16;
const SHUTDOWN_TIMEOUT_MS = 8_000;
/** Scheduling of the exit on a loaded, shared machine. */
const MARGIN_MS = 3_000;
const ENV = { SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) };

/**
 * What a client may see of a graceful stop: a request the API read is answered (its own
 * answer, or 503 with Retry-After and Connection: close); a connection attempt after the
 * listening socket closed is refused; a connection idle since its last answer is closed, and
 * a request racing onto it at that moment gets no answer but was never read. Never a 500, never
 * a 503 without Retry-After; with Idempotency-Keys, nothing acknowledged is lost and nothing
 * applied twice.
 */
describe('SIGTERM of the API under load, clients retrying with their Idempotency-Keys', () => {
  const own = ownDatabaseAndApi();

  it('exits with 0 within SHUTDOWN_TIMEOUT_MS each time, answers only 2xx, 4xx or 503 with Retry-After, and loses nothing', async () => {
    own.api = await startServiceProcess({ app: 'wallet-api', databaseUrl: own.database.url, env: ENV });
    const walletIds = await Promise.all([1, 2, 3, 4].map(() => fundedWallet(own.api!.baseUrl, '1000')));

    let stopped = false;
    const writing = runRetryingWriters({ baseUrl: () => own.api!.baseUrl, walletIds, writers: WRITERS, stop: () => stopped });
    const exits: Array<{ exit: Exit | 'still running'; tookMs: number }> = [];
    for (let stop = 0; stop < STOPS; stop += 1) {
      await sleep(1_500);
      const started = Date.now();
      own.api.kill('SIGTERM');
      const exit = await Promise.race([own.api.exited, sleep(SHUTDOWN_TIMEOUT_MS + MARGIN_MS).then(() => 'still running' as const)]);
      exits.push({ exit, tookMs: Date.now() - started });
      if (exit === 'still running') await own.api.crash();
      own.api = await startServiceProcess({ app: 'wallet-api', databaseUrl: own.database.url, env: ENV });
    }
    await sleep(1_500);
    stopped = true;
    const outcomes = await writing;

    const ledger = await checkLedger(own.database.url, outcomes, walletIds);
    const retried = outcomes.flatMap((outcome) => outcome.retriedOn);
    const counts = countBy(retried);
    console.log(`API SIGTERM × ${STOPS}: exits ${JSON.stringify(exits)}; ${outcomes.length} writes, ${ledger.acknowledged} acknowledged, retries ${JSON.stringify(counts)}`);
    for (const { exit, tookMs } of exits) {
      expect(exit).toEqual({ code: 0, signal: null });
      expect(tookMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    }
    // The stops were seen: late requests were answered 503 with Retry-After.
    expect(counts['503 with Retry-After'] ?? 0).toBeGreaterThan(0);
    // Every other retry: a 409 of a key still in progress, a refused connection, or a
    // connection closed before an answer; no 5xx without Retry-After, no request left hanging.
    const unexpected = retried.filter((seen) => !/^(503 with Retry-After|409|no answer \((ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET)\))$/.test(seen));
    expect(unexpected).toEqual([]);
    expect(ledger.acknowledged).toBeGreaterThan(0);
    expect(ledger).toMatchObject({ lost: [], appliedTwice: [], unacknowledged: [], negative: [] });
    // The read model caught up with the log, and the operator's check finds it equal to a fold of it.
    const { verify } = await settledReadModel(own.database.url, 30_000);
    expect(verify).toMatchObject({ code: 0, stdout: expect.stringContaining('No drift') });
  });
});
