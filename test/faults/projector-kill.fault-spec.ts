import { PostgresEventStore } from '@wallet/event-store';
import { createTestDatabase, type TestDatabase } from '@wallet/testing';
import { appendBacklog } from '../../bench/support/wallet-history';
import { cli } from '../support/cli';
import { fundedWallet } from '../support/http';
import { checkLedger } from './support/ledger-check';
import { readModelProgress, untilCaughtUp } from './support/read-model-progress';
import { runRetryingWriters } from './support/retrying-writers';
import { type ServiceProcess, startServiceProcess } from './support/service-process';
import { sleep } from './support/fault-case';

const BACKLOG_EVENTS = 30_000;
const KILLS = 4;
/** Small batches: many commits while it catches up, so a kill lands between and inside them. */
const BATCH_SIZE = '250';

/**
 * The projector runs in a process of its own (the API with PROJECTOR_IN_PROCESS=false) and
 * is SIGKILLed again and again while it works through a backlog, with writers still writing
 * through the API. Every batch commits with its checkpoint or not at all, so the read model
 * must end up equal to a fold of the log.
 */
describe('SIGKILL of the projector process while it catches up', () => {
  let database: TestDatabase;
  let api: ServiceProcess | undefined;
  let projector: ServiceProcess | undefined;
  let stopped = false;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    stopped = true;
    await projector?.crash();
    await api?.crash();
    await database.drop();
  });

  it('leaves a read model equal to a fold of the log', async () => {
    api = await startServiceProcess({ app: 'wallet-api', databaseUrl: database.url, env: { PROJECTOR_IN_PROCESS: 'false' } });
    const walletIds = await Promise.all([1, 2, 3, 4].map(() => fundedWallet(api!.baseUrl, '1000')));
    const store = new PostgresEventStore(database.pool, { connectionString: database.url });
    try {
      await appendBacklog(store, { events: BACKLOG_EVENTS, wallets: 300, eventsPerAppend: 1_000, walletsPerAppend: 100, concurrency: 2, start: new Date() });
    } finally {
      await store.close();
    }
    const writing = runRetryingWriters({ baseUrl: () => api!.baseUrl, walletIds, writers: 4, stop: () => stopped });

    const killedAt: Array<{ checkpoint: bigint; head: bigint }> = [];
    let previous = (await readModelProgress(database.url)).checkpoint;
    for (let kill = 0; kill < KILLS; kill += 1) {
      projector = await startServiceProcess({ app: 'projector', databaseUrl: database.url, env: { PROJECTOR_BATCH_SIZE: BATCH_SIZE } });
      // Let it commit some batches, then kill it at a moment of its own choosing.
      await untilCheckpointPasses(database.url, previous, 60_000);
      await sleep(100 + kill * 50);
      const exit = await projector.crash();
      expect(exit.signal).toBe('SIGKILL');
      const progress = await readModelProgress(database.url);
      killedAt.push(progress);
      previous = progress.checkpoint;
    }
    projector = await startServiceProcess({ app: 'projector', databaseUrl: database.url, env: { PROJECTOR_BATCH_SIZE: BATCH_SIZE } });
    stopped = true;
    const outcomes = await writing;
    const caughtUpMs = await untilCaughtUp(database.url, 90_000);

    const ledger = await checkLedger(database.url, outcomes, walletIds);
    const verify = await cli(['verify', '--max-lag-events', '0'], { DATABASE_URL: database.url }).done;
    console.log(
      `projector SIGKILL × ${KILLS} at ${killedAt.map(({ checkpoint, head }) => `${checkpoint}/${head}`).join(', ')}; ` +
        `caught up ${caughtUpMs} ms after the last start; ${ledger.acknowledged} writes acknowledged; verify: ${verify.stdout.trim()}`,
    );
    // Every kill came while the projector was still behind the log.
    for (const { checkpoint, head } of killedAt) expect(checkpoint).toBeLessThan(head);
    expect(ledger).toMatchObject({ lost: [], appliedTwice: [], unacknowledged: [], negative: [] });
    expect(verify).toMatchObject({ code: 0, stdout: expect.stringMatching(/^No drift: \d+ wallets/) });
    expect(projector.output()).not.toContain('halted');
  });
});

async function untilCheckpointPasses(databaseUrl: string, position: bigint, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while ((await readModelProgress(databaseUrl)).checkpoint <= position) {
    if (Date.now() - start > timeoutMs) throw new Error(`the projector did not pass position ${position} within ${timeoutMs} ms`);
    await sleep(50);
  }
}
