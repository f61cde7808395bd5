import { fundedWallet } from '../support/http';
import { checkLedger } from './support/ledger-check';
import { settledReadModel } from './support/read-model-progress';
import { countBy, runRetryingWriters, secondsToSettle } from './support/retrying-writers';
import { startServiceProcess } from './support/service-process';
import { ownDatabaseAndApi, sleep } from './support/fault-case';

const KILLS = 3;
const WRITERS = 8;
/** IDEMPOTENCY_LEASE_MS's default, which the API runs with here. */
const LEASE_S = 30;

describe('SIGKILL of the API under load, clients retrying with their Idempotency-Keys', () => {
  const own = ownDatabaseAndApi();

  it('loses no acknowledged write, applies none twice and never overdraws', async () => {
    own.api = await startServiceProcess({ app: 'wallet-api', databaseUrl: own.database.url });
    const walletIds = await Promise.all([1, 2, 3, 4].map(() => fundedWallet(own.api!.baseUrl, '1000')));

    let stopped = false;
    let backAt = 0;
    let killedAt = 0;
    const writing = runRetryingWriters({ baseUrl: () => own.api!.baseUrl, walletIds, writers: WRITERS, stop: () => stopped });
    for (let kill = 0; kill < KILLS; kill += 1) {
      await sleep(1_500);
      killedAt = Date.now();
      const exit = await own.api.crash();
      expect(exit.signal).toBe('SIGKILL');
      own.api = await startServiceProcess({ app: 'wallet-api', databaseUrl: own.database.url });
      backAt = Date.now();
    }
    await sleep(1_500);
    stopped = true;
    const outcomes = await writing;

    const ledger = await checkLedger(own.database.url, outcomes, walletIds);
    const retried = outcomes.flatMap((outcome) => outcome.retriedOn);
    const settled = secondsToSettle(outcomes, backAt);
    console.log(
      `API SIGKILL × ${KILLS}: ${outcomes.length} writes, ${ledger.acknowledged} acknowledged, retries ${JSON.stringify(countBy(retried))}; ` +
        `after the last kill the API was back in ${((backAt - killedAt) / 1_000).toFixed(1)} s and every write had its answer ${settled.toFixed(1)} s later`,
    );
    expect(ledger.acknowledged).toBeGreaterThan(0);
    expect(retried.length).toBeGreaterThan(0);
    expect(ledger).toMatchObject({ lost: [], appliedTwice: [], unacknowledged: [], negative: [] });
    // The read model caught up with the log, and the operator's check finds it equal to a fold of it.
    const { verify } = await settledReadModel(own.database.url, 30_000);
    expect(verify).toMatchObject({ code: 0, stdout: expect.stringContaining('No drift') });
    // A key whose request died with its process is taken over at once: no one waits for the
    // lease (30 s), and a key still held by a running request says when to come back.
    expect(settled).toBeLessThan(LEASE_S / 3);
    expect(retried.filter((answer) => answer === '409' || answer === '503')).toEqual([]);
    expect(retried.filter((answer) => answer.startsWith('500'))).toEqual([]);
  });
});
