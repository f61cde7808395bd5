import { createTestDatabase, type TestDatabase } from '@wallet/testing';
import { fundedWallet } from '../support/http';
import { checkLedger } from './support/ledger-check';
import { runRetryingWriters } from './support/retrying-writers';
import { type ServiceProcess, startServiceProcess } from './support/service-process';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const KILLS = 3;
const WRITERS = 8;

describe('SIGKILL of the API under load, clients retrying with their Idempotency-Keys', () => {
  let database: TestDatabase;
  let api: ServiceProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await api?.crash();
    await database.drop();
  });

  it('loses no acknowledged write, applies none twice and never overdraws', async () => {
    api = await startServiceProcess({ app: 'wallet-api', databaseUrl: database.url });
    const walletIds = await Promise.all([1, 2, 3, 4].map(() => fundedWallet(api!.baseUrl, '1000')));

    let stopped = false;
    const writing = runRetryingWriters({ baseUrl: () => api!.baseUrl, walletIds, writers: WRITERS, stop: () => stopped });
    for (let kill = 0; kill < KILLS; kill += 1) {
      await sleep(1_500);
      const exit = await api.crash();
      expect(exit.signal).toBe('SIGKILL');
      api = await startServiceProcess({ app: 'wallet-api', databaseUrl: database.url });
    }
    await sleep(1_500);
    stopped = true;
    const outcomes = await writing;

    const ledger = await checkLedger(database.url, outcomes, walletIds);
    const retried = outcomes.flatMap((outcome) => outcome.retriedOn);
    console.log(`API SIGKILL × ${KILLS}: ${outcomes.length} writes, ${ledger.acknowledged} acknowledged, retries ${JSON.stringify(countBy(retried))}`);
    expect(ledger.acknowledged).toBeGreaterThan(0);
    expect(retried.length).toBeGreaterThan(0);
    expect(ledger).toMatchObject({ lost: [], appliedTwice: [], unacknowledged: [], negative: [] });
  });
});

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
