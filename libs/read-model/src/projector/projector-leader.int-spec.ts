import { appendWalletEvents, createStoreTestDatabase, type StoreTestDatabase, walletHistory, walletIdN } from '@wallet/testing';
import { Pool } from 'pg';
import { verifyReadModel } from '../verify/verify';
import { leaderLockKey, readCheckpoint } from './checkpoints';
import { Projector } from './projector';
import { isTransient } from './transient-errors';

/**
 * The leader lock elects the one projector that writes. Passing trouble while taking it is
 * waited out, not a halt; a lock lost with its connection is taken again, and the projector
 * that loses it stops writing.
 */
describe('Projector leadership', () => {
  let database: StoreTestDatabase;
  let appended = 0;

  beforeEach(async () => {
    database = await createStoreTestDatabase(16);
    database.pool.on('error', () => undefined);
    appended = 0;
  });
  afterEach(() => database.drop());

  interface Running {
    readonly name: string;
    readonly logs: string[];
    readonly stop: () => Promise<void>;
  }

  /** A projector running until stopped; records what it logs and the batches it commits under `name`. */
  function start(name: string, batchLog: string[], pool: Pool = database.pool): Running {
    const logs: string[] = [];
    const controller = new AbortController();
    const projector = new Projector({
      pool,
      store: database.store,
      snapshotEvery: 4,
      batchSizeMax: 5,
      log: (message) => logs.push(message),
      onBatch: () => {
        batchLog.push(name);
      },
    });
    const running = projector.run(controller.signal);
    running.catch(() => undefined);
    return {
      name,
      logs,
      stop: async () => {
        controller.abort();
        // As ProjectorService: an error met while stopping (a connection this spec dropped a moment before) is no halt.
        await running.catch((error: unknown) => {
          if (!isTransient(error)) throw error;
        });
      },
    };
  }

  /** Appends the history of one more wallet; resolves to the head of the log. */
  async function appendWallet(transactions = 3): Promise<bigint> {
    appended += 1;
    return appendWalletEvents(database.store, walletHistory(walletIdN(appended), transactions));
  }

  async function eventCount(): Promise<number> {
    return (await database.pool.query<{ n: number }>('select count(*)::int as n from event_store.events')).rows[0]!.n;
  }

  async function waitFor(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  const projectedTo = (head: bigint) => async () => (await readCheckpoint(database.pool, 'read_model')).position >= head;

  /** The backend holding the leader lock of read_model, if any. */
  async function leaderPid(): Promise<number | undefined> {
    const { rows } = await database.pool.query<{ pid: number }>(
      `select pid from pg_locks
        where locktype = 'advisory' and granted and objsubid = 1
          and database = (select oid from pg_database where datname = current_database())
          and objid::text::bigint = (hashtext($1)::bigint & 4294967295)`,
      [leaderLockKey('read_model')],
    );
    return rows[0]?.pid;
  }

  async function terminate(pid: number): Promise<void> {
    await database.pool.query('select pg_terminate_backend($1)', [pid]);
  }

  async function expectFoldOfTheLog(head: bigint): Promise<void> {
    expect((await readCheckpoint(database.pool, 'read_model')).position).toBe(head);
    expect(await verifyReadModel({ pool: database.pool, store: database.store })).toMatchObject({
      checkpoint: head,
      eventsFolded: await eventCount(),
      driftCount: 0,
    });
  }

  it('waits out a database refusing connections while it takes the lock, then leads: no halt', async () => {
    // Connections go to a closed port until the database "comes back".
    const refusing = new Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/nothing', connectionTimeoutMillis: 1_000 });
    let down = true;
    let refused = 0;
    const pool = new Proxy(database.pool, {
      get(target, property) {
        if (property === 'connect') {
          return async () => {
            if (!down) return target.connect();
            refused += 1;
            return refusing.connect();
          };
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const head = await appendWallet();
    const batchLog: string[] = [];
    const projector = start('only', batchLog, pool);
    try {
      await waitFor('two refused attempts', () => refused >= 2);
      expect(await leaderPid()).toBeUndefined();
      down = false;
      await waitFor('the leader lock', async () => (await leaderPid()) !== undefined);
      await waitFor('the log projected', projectedTo(head));
      const later = await appendWallet();
      await waitFor('the later wallet projected', projectedTo(later));
      expect(projector.logs.some((line) => line.startsWith('Projector could not take the leader lock'))).toBe(true);
      expect(projector.logs).toContain('Projector holds the leader lock of read_model');
    } finally {
      await projector.stop();
      await refusing.end();
    }
    await expectFoldOfTheLog(await database.store.headPosition());
  });

  it('takes the lock again after its connection was dropped while waiting for it', async () => {
    const batchLog: string[] = [];
    const first = start('first', batchLog);
    await waitFor('the first leader', async () => (await leaderPid()) !== undefined);
    const second = start('second', batchLog);
    // The second waits on a connection of its own: drop every connection but the leader's and this one.
    const holder = (await leaderPid())!;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(second.logs).toEqual([]);
    await database.pool.query(
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid not in (pg_backend_pid(), $1) and backend_type = 'client backend'`,
      [holder],
    );
    await first.stop();
    await waitFor('the second leader', () => second.logs.includes('Projector holds the leader lock of read_model'));
    const head = await appendWallet();
    await waitFor('the log projected', projectedTo(head));
    expect(second.logs.some((line) => line.startsWith('Projector could not take the leader lock'))).toBe(true);
    await second.stop();
    await expectFoldOfTheLog(head);
  });

  it('gives up the lead when its lock connection drops, takes the lock again, and never projects alongside another', async () => {
    const batchLog: string[] = [];
    const first = start('first', batchLog);
    await waitFor('the first leader', async () => (await leaderPid()) !== undefined);
    const firstPid = (await leaderPid())!;
    await waitFor('the first wallet projected', projectedTo(await appendWallet()));

    // Alone: it stops following, takes the lock again, and goes on from its checkpoint.
    await terminate(firstPid);
    await waitFor('the lead lost', () => first.logs.some((line) => line.includes('its leader lock was lost')));
    await waitFor('the lock taken again', async () => ![undefined, firstPid].includes(await leaderPid()));
    await waitFor('the second wallet projected', projectedTo(await appendWallet()));
    expect(first.logs.filter((line) => line === 'Projector holds the leader lock of read_model')).toHaveLength(2);
    await expectFoldOfTheLog(await database.store.headPosition());

    // With a second projector waiting: one of them leads, the other waits.
    const second = start('second', batchLog);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const leading = (await leaderPid())!;
    await terminate(leading);
    await waitFor('a new leader', async () => ![undefined, leading].includes(await leaderPid()));
    batchLog.length = 0;
    for (let round = 0; round < 4; round += 1) await waitFor(`wallet of round ${round} projected`, projectedTo(await appendWallet(2)));
    await new Promise((resolve) => setTimeout(resolve, 100));

    // Every batch since came from one projector: the one that holds the lock.
    expect(batchLog.length).toBeGreaterThan(0);
    expect(new Set(batchLog).size).toBe(1);
    await first.stop();
    await second.stop();
    await expectFoldOfTheLog(await database.store.headPosition());
    expect(first.logs.concat(second.logs).some((line) => line.includes('halted'))).toBe(false);
  });
});
