import { PostgresEventStore } from '@wallet/event-store';
import { appendWalletEvents, createTestDatabase, dumpReadModel, interleave, type TestDatabase, walletHistory, walletIdN } from '@wallet/testing';
import { archiveTransactions } from '../archive/archive';
import { Projector } from '../projector/projector';
import { headPosition } from '../status/projection-status';
import { createShadowSchema, rebuildReadModel } from './rebuild';

const SNAPSHOT_EVERY = 5;
const log = (m: string): void => { if (m.includes('ahead') || m.includes('live as')) process.stderr.write(`LOG ${m}\n`); };

describe('rebuildReadModel', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeEach(async () => {
    database = await createTestDatabase();
    store = new PostgresEventStore(database.pool, { connectionString: database.url }, { pollIntervalMs: 20 });
  });
  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  const projector = (schema = 'read_model', batchSizeMax = 3): Projector =>
    new Projector({ pool: database.pool, store, schema, snapshotEvery: SNAPSHOT_EVERY, batchSizeMax, log });

  const rebuild = (onProgress?: (checkpoint: bigint, head: bigint) => void): ReturnType<typeof rebuildReadModel> =>
    rebuildReadModel({ pool: database.pool, store, snapshotEvery: SNAPSHOT_EVERY, batchSizeMax: 10, log, onProgress });

  async function schemas(): Promise<string[]> {
    const { rows } = await database.pool.query<{ nspname: string }>(`select nspname from pg_namespace where nspname like 'read_model%' order by 1`);
    return rows.map((row) => row.nspname);
  }

  it('replays into a model equal to the one projected incrementally, run after run', async () => {
    const histories = [1, 2, 3].map((n) => walletHistory(walletIdN(n), 20));
    const events = interleave(...histories);
    for (let start = 0; start < events.length; start += 17) {
      await appendWalletEvents(store, events.slice(start, start + 17));
      await projector().catchUp();
    }
    const incremental = await dumpReadModel(database.pool, 'read_model');
    const progress: bigint[] = [];

    const result = await rebuild((checkpoint, head) => {
      progress.push(checkpoint);
      expect(checkpoint).toBeLessThanOrEqual(head);
    });

    expect(await dumpReadModel(database.pool, 'read_model')).toEqual(incremental);
    expect(result.checkpoint).toBe(await headPosition(database.pool));
    expect(progress.at(-1)).toBe(result.checkpoint);
    expect(progress).toEqual([...progress].sort((a, b) => (a < b ? -1 : 1)));
    expect(await schemas()).toEqual(['read_model']);
  });

  it('brings archived transactions back into the live table', async () => {
    await appendWalletEvents(store, walletHistory(walletIdN(1), 20));
    await projector().catchUp();
    const transactions = 'select id, status from read_model.transactions union all select id, status from read_model.transactions_archive order by id';
    const before = (await database.pool.query(transactions)).rows;
    expect((await archiveTransactions(database.pool, { olderThan: new Date('2100-01-01') })).moved).toBeGreaterThan(0);

    await rebuild();

    expect((await database.pool.query(transactions)).rows).toEqual(before);
    expect((await database.pool.query('select count(*)::int as n from read_model.transactions_archive')).rows).toEqual([{ n: 0 }]);
  });

  it('swaps while the live projector runs, events keep coming and readers keep reading', async () => {
    await appendWalletEvents(store, interleave(walletHistory(walletIdN(1), 40), walletHistory(walletIdN(2), 40)));
    const live = new AbortController();
    const running = projector('read_model', 5).run(live.signal);
    const writing = keepAppending(store, interleave(walletHistory(walletIdN(3), 40), walletHistory(walletIdN(4), 40)));
    const reading = keepReading(database);

    await rebuild();
    process.stderr.write(`LOG rebuilt; head ${await headPosition(database.pool)}\n`);
    await writing.stop();
    process.stderr.write(`LOG writer stopped; head ${await headPosition(database.pool)}\n`);
    await waitUntilProjected(database);
    live.abort();
    await running;
    const readings = await reading.stop();

    expect(readings.errors).toEqual([]);
    expect(readings.checkpoints).toEqual([...readings.checkpoints].sort((a, b) => (a < b ? -1 : 1)));
    await createShadowSchema(database.pool, 'read_model', 'replayed');
    await projector('replayed', 100).catchUp();
    expect(await dumpReadModel(database.pool, 'read_model')).toEqual(await dumpReadModel(database.pool, 'replayed'));
  });

  it('refuses a second rebuild while one holds read_model_next', async () => {
    const guard = await database.pool.connect();
    try {
      await guard.query(`select pg_advisory_lock(hashtext('projector:read_model_next'))`);
      await expect(rebuild()).rejects.toThrow('Another rebuild holds read_model_next.');
    } finally {
      guard.release(new Error('drop the lock with the connection'));
    }
  });
});

/** Appends the events one by one in the background until stopped or done. */
function keepAppending(store: PostgresEventStore, events: Parameters<typeof appendWalletEvents>[1]): { stop(): Promise<void> } {
  let stopped = false;
  const done = (async () => {
    for (const event of events) {
      if (stopped) return;
      await appendWalletEvents(store, [event]);
    }
  })();
  return { stop: async () => { stopped = true; await done; } };
}

/** Reads the live read model in a loop like the API does; collects errors and checkpoints. */
function keepReading(database: TestDatabase): { stop(): Promise<{ errors: string[]; checkpoints: bigint[] }> } {
  let stopped = false;
  const errors: string[] = [];
  const checkpoints: bigint[] = [];
  const done = (async () => {
    while (!stopped) {
      try {
        // No checkpoint row yet means nothing projected yet, as the API reads it.
        const { rows } = await database.pool.query<{ position: string | null; wallets: number }>(
          `select (select position from read_model.projection_checkpoints) as position, (select count(*)::int from read_model.balances) as wallets`,
        );
        checkpoints.push(BigInt(rows[0]!.position ?? 0));
      } catch (error) {
        errors.push((error as Error).message);
      }
    }
  })();
  return { stop: async () => { stopped = true; await done; return { errors, checkpoints }; } };
}

async function waitUntilProjected(database: TestDatabase): Promise<void> {
  const head = await headPosition(database.pool);
  for (let attempt = 0; attempt < 500; attempt += 1) {
    const { rows } = await database.pool.query<{ position: string }>('select position from read_model.projection_checkpoints');
    if (BigInt(rows[0]!.position) >= head) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`The live projector did not reach ${head}.`);
}
