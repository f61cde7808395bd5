import { fundedWallet } from '../support/http';
import { checkLedger } from './support/ledger-check';
import { settledReadModel } from './support/read-model-progress';
import { type OwnPostgres, startOwnPostgres } from './support/own-postgres';
import { type Outcome, countBy, runRetryingWriters, secondsToSettle } from './support/retrying-writers';
import { type ServiceProcess, startServiceProcess } from './support/service-process';
import { sleep } from './support/fault-case';

const WRITERS = 8;
/** How long after the database is back every write under way must have had its answer. */
const SETTLE_BOUND_S = 10;

describe('PostgreSQL restarted under load, clients retrying with their Idempotency-Keys', () => {
  let postgres: OwnPostgres;
  let api: ServiceProcess | undefined;

  beforeAll(async () => {
    postgres = await startOwnPostgres();
  });
  afterAll(async () => {
    await api?.crash();
    await postgres?.destroy();
  });

  it.each(['fast', 'immediate'] as const)('a %s restart: nothing lost or applied twice, no 500, every 503 and 409 with Retry-After, retries through soon after', async (mode) => {
    api ??= await startServiceProcess({ app: 'wallet-api', databaseUrl: postgres.url });
    const walletIds = await Promise.all([1, 2, 3, 4].map(() => fundedWallet(api!.baseUrl, '1000')));

    let stopped = false;
    const writing = runRetryingWriters({ baseUrl: () => api!.baseUrl, walletIds, writers: WRITERS, stop: () => stopped });
    await sleep(1_500);
    const restartedAt = Date.now();
    await postgres.restart(mode);
    const backAt = Date.now();
    await sleep(2_500);
    stopped = true;
    const outcomes: Outcome[] = await writing;

    const ledger = await checkLedger(postgres.url, outcomes, walletIds);
    const retried = outcomes.flatMap((outcome) => outcome.retriedOn);
    const settled = secondsToSettle(outcomes, backAt);
    console.log(
      `PostgreSQL restart -m ${mode}: down ${((backAt - restartedAt) / 1_000).toFixed(1)} s; ${outcomes.length} writes, ${ledger.acknowledged} acknowledged, ` +
        `retries ${JSON.stringify(countBy(retried))}; every write under way had its answer ${settled.toFixed(1)} s after the database was back`,
    );
    expect(ledger.acknowledged).toBeGreaterThan(0);
    // The restart was felt: some writes had to be retried.
    expect(retried.length).toBeGreaterThan(0);
    expect(ledger).toMatchObject({ lost: [], appliedTwice: [], unacknowledged: [], negative: [] });
    // The read model caught up with the log, and the operator's check finds it equal to a fold of it.
    const { verify } = await settledReadModel(postgres.url, 30_000);
    expect(verify).toMatchObject({ code: 0, stdout: expect.stringContaining('No drift') });
    expect(retried.filter((answer) => answer.startsWith('500'))).toEqual([]);
    expect(retried.filter((answer) => answer === '503' || answer === '409')).toEqual([]);
    expect(settled).toBeLessThan(SETTLE_BOUND_S);
    // The API lived through it.
    expect(api!.child.exitCode).toBeNull();
  });
});
