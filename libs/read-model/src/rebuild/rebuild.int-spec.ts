import { type EventStore, PostgresEventStore, type RecordedEvent, type SubscribeAllOptions } from '@wallet/event-store';
import {
  appendWalletEvents,
  captured,
  catchUpToHead,
  createStoreTestDatabase,
  dumpReadModel,
  held,
  increased,
  interleave,
  rejected,
  reversed,
  type StoreTestDatabase,
  transactionIdN,
  walletHistory,
  walletIdN,
} from '@wallet/testing';
import { archiveTransactions } from '../archive/archive';
import { Projector } from '../projector/projector';
import { createShadowSchema, rebuildReadModel } from './rebuild';

const SNAPSHOT_EVERY = 5;
const log = (): void => undefined;

describe('rebuildReadModel', () => {
  let database: StoreTestDatabase;
  /** Background loops of a spec, stopped before its database goes, whether it passed or not. */
  let background: Array<{ stop(): Promise<unknown> }> = [];

  beforeEach(async () => {
    database = await createStoreTestDatabase();
  });
  afterEach(async () => {
    await Promise.all(background.map((loop) => loop.stop()));
    background = [];
    await database.drop();
  });

  const projector = (schema = 'read_model', batchSizeMax = 3, options: { store?: EventStore; log?: (message: string) => void } = {}): Projector =>
    new Projector({ pool: database.pool, store: options.store ?? database.store, schema, snapshotEvery: SNAPSHOT_EVERY, batchSizeMax, log: options.log ?? log });

  async function expectEqualToAReplay(): Promise<void> {
    await createShadowSchema(database.pool, 'read_model', 'replayed');
    await projector('replayed', 100).catchUp();
    expect(await dumpReadModel(database.pool, 'read_model')).toEqual(await dumpReadModel(database.pool, 'replayed'));
  }

  const rebuild = (onProgress?: (checkpoint: bigint, head: bigint) => void): ReturnType<typeof rebuildReadModel> =>
    rebuildReadModel({ pool: database.pool, store: database.store, snapshotEvery: SNAPSHOT_EVERY, batchSizeMax: 10, log, onProgress });

  async function schemas(): Promise<string[]> {
    const { rows } = await database.pool.query<{ nspname: string }>(`select nspname from pg_namespace where nspname like 'read_model%' order by 1`);
    return rows.map((row) => row.nspname);
  }

  it('replays into a model equal to the one projected incrementally, run after run', async () => {
    const histories = [1, 2, 3].map((n) => walletHistory(walletIdN(n), 20));
    const events = interleave(...histories);
    for (let start = 0; start < events.length; start += 17) {
      await appendWalletEvents(database.store, events.slice(start, start + 17));
      await catchUpToHead(projector(), database.pool);
    }
    const incremental = await dumpReadModel(database.pool, 'read_model');
    const progress: bigint[] = [];

    const result = await rebuild((checkpoint, head) => {
      progress.push(checkpoint);
      expect(checkpoint).toBeLessThanOrEqual(head);
    });

    expect(await dumpReadModel(database.pool, 'read_model')).toEqual(incremental);
    expect(result.checkpoint).toBe(await database.store.headPosition());
    expect(progress.at(-1)).toBe(result.checkpoint);
    expect(progress).toEqual([...progress].sort((a, b) => (a < b ? -1 : 1)));
    expect(await schemas()).toEqual(['read_model']);
  });

  it('brings archived transactions back into the live table', async () => {
    await appendWalletEvents(database.store, walletHistory(walletIdN(1), 20));
    await catchUpToHead(projector(), database.pool);
    const transactions = 'select id, status from read_model.transactions union all select id, status from read_model.transactions_archive order by id';
    const before = (await database.pool.query(transactions)).rows;
    expect((await archiveTransactions(database.pool, { olderThan: new Date('2100-01-01') })).moved).toBeGreaterThan(0);

    await rebuild();

    expect((await database.pool.query(transactions)).rows).toEqual(before);
    expect((await database.pool.query('select count(*)::int as n from read_model.transactions_archive')).rows).toEqual([{ n: 0 }]);
  });

  it('replays the payment lifecycle into the same rows, a reversed original archived before its reversal included', async () => {
    const walletId = walletIdN(1);
    const tx = (k: number): string => transactionIdN(walletId, k);
    const w = { walletId };
    await appendWalletEvents(database.store, walletHistory(walletId, 20));
    await catchUpToHead(projector(), database.pool);
    // The history's first credit (1,000) is final and covered by a snapshot: the archive moves it.
    await archiveTransactions(database.pool, { olderThan: new Date('2100-01-01') });
    await appendWalletEvents(database.store, [
      held(tx(100), 'debit', 50n, w),
      increased(tx(100), 'debit', 10n, w),
      captured(tx(100), 'debit', 25n, w),
      rejected(tx(100), 'debit', 35n, { ...w, reason: 'cancelled' }),
      reversed(tx(101), tx(100), 'credit', 5n, w),
      reversed(tx(102), tx(0), 'debit', 400n, w),
    ]);
    await catchUpToHead(projector(), database.pool);
    const transactions = `select id, amount, held_amount, captured_amount, released_amount, reversed_amount, reversal_of, status, reject_reason, position
      from (select * from read_model.transactions union all select * from read_model.transactions_archive) t order by id`;
    const before = (await database.pool.query(transactions)).rows;
    expect((await database.pool.query('select reversed_amount from read_model.transactions_archive where id = $1', [tx(0)])).rows).toEqual([{ reversed_amount: '400' }]);

    await rebuild();

    expect((await database.pool.query(transactions)).rows).toEqual(before);
    await expectEqualToAReplay();
  });

  it('swaps while the live projector runs, events keep coming and readers keep reading', async () => {
    await appendWalletEvents(database.store, interleave(walletHistory(walletIdN(1), 40), walletHistory(walletIdN(2), 40)));
    const live = new AbortController();
    const running = projector('read_model', 5).run(live.signal);
    const writing = keepAppending(database.store, interleave(...[3, 4, 5, 6].map((n) => walletHistory(walletIdN(n), 200))));
    const reading = keepReading(database);
    background.push(writing, reading);

    await rebuild();
    const headAtSwap = await database.store.headPosition();
    await writing.appended(headAtSwap + 20n);
    await writing.stop();
    await waitUntilProjected(database);
    live.abort();
    await running;
    const readings = await reading.stop();

    expect(readings.errors).toEqual([]);
    expect(readings.checkpoints).toEqual([...readings.checkpoints].sort((a, b) => (a < b ? -1 : 1)));
    await expectEqualToAReplay();
  });

  it('lets the live projector skip the events the swapped-in model already holds', async () => {
    await appendWalletEvents(database.store, walletHistory(walletIdN(1), 10));
    const gate = gated(database.store);
    const messages: string[] = [];
    const live = new AbortController();
    const running = projector('read_model', 5, { store: gate.store, log: (message) => messages.push(message) }).run(live.signal);
    await waitUntilProjected(database);
    gate.close();
    await appendWalletEvents(database.store, walletHistory(walletIdN(2), 10));
    await gate.batchWaiting();

    // The live projector holds a batch of events the rebuild replays too.
    const { checkpoint } = await rebuild();
    gate.open();
    await appendWalletEvents(database.store, walletHistory(walletIdN(3), 10));
    await waitUntilProjected(database);
    live.abort();
    await running;

    expect(messages).toContainEqual(expect.stringContaining(`Checkpoint of read_model is at ${checkpoint}, ahead of`));
    await expectEqualToAReplay();
  });

  it('holds off the live projector from the last replay to the rename, then lets it go on in the new model', async () => {
    await appendWalletEvents(database.store, walletHistory(walletIdN(1), 10));
    const live = new AbortController();
    const running = projector('read_model', 5).run(live.signal);
    await waitUntilProjected(database);

    // Events the final replay has not seen: the live projector reads them and must wait.
    await rebuildReadModel({
      pool: database.pool,
      store: database.store,
      snapshotEvery: SNAPSHOT_EVERY,
      batchSizeMax: 10,
      log,
      beforeRename: async () => {
        await appendWalletEvents(database.store, walletHistory(walletIdN(2), 3));
        await waitForTheLiveProjector(database, await database.store.headPosition());
      },
    });
    await appendWalletEvents(database.store, walletHistory(walletIdN(3), 3));
    await waitUntilProjected(database);
    live.abort();
    await running;

    await expectEqualToAReplay();
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
function keepAppending(store: PostgresEventStore, events: Parameters<typeof appendWalletEvents>[1]): { appended(position: bigint): Promise<void>; stop(): Promise<void> } {
  let stopped = false;
  let last = 0n;
  const done = (async () => {
    for (const event of events) {
      if (stopped) return;
      last = await appendWalletEvents(store, [event]);
      await pause(1);
    }
  })();
  const appended = async (position: bigint): Promise<void> => {
    while (last < position) {
      if (await Promise.race([done.then(() => true), pause(5).then(() => false)])) throw new Error(`The writer ran out of events before ${position}.`);
    }
  };
  return { appended, stop: async () => { stopped = true; await done; } };
}

/** The store, with a gate that holds back batches of live subscriptions while closed. */
function gated(store: EventStore): { store: EventStore; close(): void; open(): void; batchWaiting(): Promise<void> } {
  let gate: Promise<void> = Promise.resolve();
  let release = (): void => undefined;
  let waiting = 0;
  const wrapped: EventStore = {
    append: (...args) => store.append(...args),
    appendMany: (...args) => store.appendMany(...args),
    readStream: (...args) => store.readStream(...args),
    readAll: (...args) => store.readAll(...args),
    readFiltered: (...args) => store.readFiltered(...args),
    headPosition: () => store.headPosition(),
    firstRecordedAfter: (after) => store.firstRecordedAfter(after),
    close: () => store.close(),
    async *subscribeAll(options: SubscribeAllOptions): AsyncIterable<RecordedEvent[]> {
      for await (const batch of store.subscribeAll(options)) {
        waiting += 1;
        await gate;
        waiting -= 1;
        yield batch;
      }
    },
  };
  return {
    store: wrapped,
    close: () => (gate = new Promise((resolve) => (release = resolve))),
    open: () => release(),
    batchWaiting: async () => {
      while (waiting === 0) await pause(5);
    },
  };
}

/** Reads the live read model in a loop like the API does; collects errors and checkpoints. */
function keepReading(database: StoreTestDatabase): { stop(): Promise<{ errors: string[]; checkpoints: bigint[] }> } {
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
      await pause(1);
    }
  })();
  return { stop: async () => { stopped = true; await done; return { errors, checkpoints }; } };
}

async function waitUntilProjected(database: StoreTestDatabase): Promise<void> {
  const head = await database.store.headPosition();
  for (let attempt = 0; attempt < 500; attempt += 1) {
    const { rows } = await database.pool.query<{ position: string | null }>('select (select position from read_model.projection_checkpoints) as position');
    if (BigInt(rows[0]!.position ?? 0) >= head) return;
    await pause(20);
  }
  throw new Error(`The live projector did not reach ${head}.`);
}

/**
 * Waits until the live projector has taken up the events up to `head`: its batch waits for
 * the swap lock (as it should) or has committed them to the read model about to be replaced.
 */
async function waitForTheLiveProjector(database: StoreTestDatabase, head: bigint): Promise<void> {
  for (let attempt = 0; attempt < 250; attempt += 1) {
    const { rows } = await database.pool.query<{ waiting: boolean; position: string }>(
      `select exists (select 1 from pg_locks l join pg_stat_activity a on a.pid = l.pid
                       where l.locktype = 'advisory' and not l.granted and a.query like '%advisory_xact_lock_shared%') as waiting,
              (select position from read_model.projection_checkpoints) as position`,
    );
    if (rows[0]!.waiting || BigInt(rows[0]!.position) >= head) return;
    await pause(20);
  }
  throw new Error('The live projector took up no events.');
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
