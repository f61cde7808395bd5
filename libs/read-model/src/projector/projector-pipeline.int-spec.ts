import { type WalletEvent, encodeWalletEvent } from '@wallet/domain';
import { appendWalletEvents, catchUpToHead, createStoreTestDatabase, dumpReadModel, interleave, type StoreTestDatabase, walletHistory, walletIdN } from '@wallet/testing';
import { createShadowSchema } from '../rebuild/rebuild';
import { verifyReadModel } from '../verify/verify';
import { readCheckpoint } from './checkpoints';
import { ProjectionHaltedError, Projector } from './projector';

const metadata = { correlationId: 'pipeline', causationId: 'pipeline' };
const WRITERS = 8;

/**
 * The projector reads the next page while it folds one batch and writes another. Whatever
 * happens around it, the read model must be the fold of the log: each event once, in order.
 */
describe('Projector pipeline', () => {
  let database: StoreTestDatabase;

  beforeEach(async () => (database = await createStoreTestDatabase(16)));
  afterEach(() => database.drop());

  const projector = (schema: string, batchSizeMax: number): Projector =>
    new Projector({ pool: database.pool, store: database.store, schema, snapshotEvery: 4, batchSizeMax, log: () => undefined });

  /** A replay of the whole log in one batch, into a schema of its own. */
  async function replay(): Promise<Record<string, unknown[]>> {
    await createShadowSchema(database.pool, 'read_model', 'replayed');
    await catchUpToHead(projector('replayed', 10_000), database.pool);
    return dumpReadModel(database.pool, 'replayed');
  }

  it('never skips nor repeats an event appended while it catches up and follows', async () => {
    await createShadowSchema(database.pool, 'read_model', 'caught_up');
    const live = new AbortController();
    const following = projector('read_model', 7).run(live.signal);
    let writing = true;
    const catchingUp = (async () => {
      while (writing) await projector('caught_up', 5).catchUp();
    })();

    // Each writer appends its wallets' histories in appends of one to three events per wallet, several wallets at once.
    const lanes = Array.from({ length: WRITERS }, (_, lane) => interleave(walletHistory(walletIdN(2 * lane + 1), 25), walletHistory(walletIdN(2 * lane + 2), 25)));
    await Promise.all(lanes.map((events, lane) => appendInRounds(events, lane)));
    writing = false;
    await catchingUp;
    const head = await database.store.headPosition();
    await catchUpToHead(projector('caught_up', 5), database.pool);
    while ((await readCheckpoint(database.pool, 'read_model')).position < head) await new Promise((resolve) => setTimeout(resolve, 20));
    live.abort();
    await following;

    const expected = await replay();
    expect(await dumpReadModel(database.pool, 'read_model')).toEqual(expected);
    expect(await dumpReadModel(database.pool, 'caught_up')).toEqual(expected);
    const report = await verifyReadModel({ pool: database.pool, store: database.store });
    expect(report).toMatchObject({ checkpoint: head, eventsFolded: lanes.flat().length, driftCount: 0 });
  });

  it('retries a batch whose transaction failed in flight, and applies the batches after it once', async () => {
    await appendWalletEvents(database.store, interleave(walletHistory(walletIdN(1), 30), walletHistory(walletIdN(2), 30), walletHistory(walletIdN(3), 30)));
    // The third batch's write fails once, as a serialization failure would.
    await database.pool.query(`
      create sequence public.failures;
      create function public.fail_once() returns trigger language plpgsql as $$
      begin
        if nextval('public.failures') = 3 then raise exception 'injected' using errcode = '40001'; end if;
        return null;
      end $$;
      create trigger fail_once after insert on read_model.transactions for each statement execute function public.fail_once()`);

    await catchUpToHead(projector('read_model', 6), database.pool);

    expect(Number((await database.pool.query<{ calls: string }>('select last_value as calls from public.failures')).rows[0]!.calls)).toBeGreaterThan(3);
    expect(await dumpReadModel(database.pool, 'read_model')).toEqual(await replay());
  });

  it('retries a batch that failed before its statements were sent, and folds the batch after it again', async () => {
    await appendWalletEvents(database.store, interleave(walletHistory(walletIdN(1), 30), walletHistory(walletIdN(2), 30)));
    // The third batch cannot get a connection, once; the fourth was folded meanwhile as if the third had gone through.
    let connects = 0;
    const pool = new Proxy(database.pool, {
      get(target, property) {
        if (property === 'connect') {
          return async () => {
            connects += 1;
            if (connects === 3) throw new Error('Connection terminated unexpectedly');
            return target.connect();
          };
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });

    await catchUpToHead(new Projector({ pool, store: database.store, snapshotEvery: 4, batchSizeMax: 6, log: () => undefined }), database.pool);

    expect(connects).toBeGreaterThan(3);
    expect(await dumpReadModel(database.pool, 'read_model')).toEqual(await replay());
  });

  it('keeps no balance from before another projector moved the checkpoint', async () => {
    const events = interleave(walletHistory(walletIdN(1), 20), walletHistory(walletIdN(2), 20));
    const first = projector('read_model', 5);
    const second = projector('read_model', 5);
    const thirds = [events.length / 3, (2 * events.length) / 3, events.length].map(Math.floor);

    let appended = 0;
    for (const [index, end] of thirds.entries()) {
      await appendWalletEvents(database.store, events.slice(appended, end));
      appended = end;
      await catchUpToHead(index === 1 ? second : first, database.pool);
    }

    expect(await dumpReadModel(database.pool, 'read_model')).toEqual(await replay());
  });

  it('halts at an event it cannot apply, with every event before it applied once', async () => {
    const walletId = walletIdN(1);
    const history = walletHistory(walletId, 20);
    const before = await appendWalletEvents(database.store, history.slice(0, 17));
    const bad = await database.store.append(`wallet-${walletId}`, [{ type: 'FundsCredited', schemaVersion: 99, data: {}, metadata }], 'any');
    await appendWalletEvents(database.store, history.slice(17));

    await expect(catchUpUntilHalted(projector('read_model', 4))).rejects.toEqual(expect.any(ProjectionHaltedError));

    const checkpoint = await readCheckpoint(database.pool, 'read_model');
    expect(checkpoint).toMatchObject({ position: before, failedPosition: bad.position });
    expect(await verifyReadModel({ pool: database.pool, store: database.store })).toMatchObject({ eventsFolded: 17, driftCount: 0 });
  });

  /** Catches up again and again (the visible log can stop short for a while) until the projector halts. */
  async function catchUpUntilHalted(halting: Projector): Promise<never> {
    for (let attempt = 0; attempt < 500; attempt += 1) {
      await halting.catchUp();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('The projector did not halt.');
  }

  /** Appends a lane's events in rounds: one to three events of each wallet per append. */
  async function appendInRounds(events: readonly WalletEvent[], lane: number): Promise<void> {
    for (let start = 0, round = 0; start < events.length; round += 1) {
      const size = 1 + ((round + lane) % 3);
      const slice = events.slice(start, start + size * 2);
      start += slice.length;
      const byStream = new Map<string, WalletEvent[]>();
      for (const event of slice) byStream.set(`wallet-${event.data.walletId}`, [...(byStream.get(`wallet-${event.data.walletId}`) ?? []), event]);
      await database.store.appendMany([...byStream].map(([stream, streamEvents]) => ({ stream, events: streamEvents.map((e) => ({ ...encodeWalletEvent(e), metadata })), expectedRevision: 'any' as const })));
    }
  }
});
