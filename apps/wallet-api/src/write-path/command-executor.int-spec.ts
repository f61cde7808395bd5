import { loadConfig } from '@wallet/config';
import { IdempotencyLeaseLostError, PostgresEventStore, PostgresIdempotencyStore } from '@wallet/event-store';
import { createTestDatabase, newEvent, type TestDatabase } from '@wallet/testing';
import type { CommandContext } from './command-context';
import { CommandExecutor } from './command-executor';
import type { Outcome } from './command-outcome';
import { KeyedSerialQueue } from './keyed-serial-queue';

/** Commands decided in one turn and appended together, against a real PostgreSQL. */
describe('CommandExecutor turns', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let keys: PostgresIdempotencyStore;
  let executor: CommandExecutor;

  beforeAll(async () => {
    database = await createTestDatabase();
    store = new PostgresEventStore(database.pool, { connectionString: database.url });
    keys = new PostgresIdempotencyStore(database.pool);
    executor = new CommandExecutor(store, keys, loadConfig({ DATABASE_URL: database.url }), new KeyedSerialQueue());
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  const held = async (key: string): Promise<CommandContext> => {
    const claim = await keys.claim({ scope: 's', key, requestHash: 'h', leaseMs: 60_000, ttlMs: 3_600_000 });
    if (claim.outcome !== 'claimed') throw new Error('expected a claim');
    return { requestId: key, idempotency: { scope: 's', key, token: claim.token, successStatus: 201 } };
  };

  /** Each command appends one event to `stream`, on the revision its predecessors left. */
  const appendingEach = (stream: string, count: number, skippedSeen: Set<number>[]) => async (_catchUp: boolean, skipped: ReadonlySet<number>) => {
    skippedSeen.push(new Set(skipped));
    const kept = [...Array(count).keys()].filter((index) => !skipped.has(index));
    const outcomes: Outcome[] = [...Array(count).keys()].map((index) =>
      skipped.has(index)
        ? { refused: null }
        : {
            appends: [{ stream, events: [{ type: 'Noted', schemaVersion: 1, data: { index } }], expectedRevision: kept.indexOf(index) === 0 ? 'no_stream' : kept.indexOf(index) - 1 }],
            present: (appended) => appended!.position.toString(),
          },
    );
    return { outcomes, cached: false };
  };

  it('fails only the command whose Idempotency-Key was lost, and appends the others once', async () => {
    const contexts = [await held('turn-a'), { ...(await held('turn-b')), idempotency: { scope: 's', key: 'turn-b', token: crypto.randomUUID(), successStatus: 201 } }, await held('turn-c')];
    const seen: Set<number>[] = [];
    const results = await executor.run(['turn'], () => ({ contexts, decide: appendingEach('turn', 3, seen) }));

    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(IdempotencyLeaseLostError);
    expect(seen.map((skipped) => [...skipped])).toEqual([[], [1]]);
    const events = await store.readStream('turn', { maxCount: 10 });
    expect(events.map((event) => (event.data as { index: number }).index)).toEqual([0, 2]);
    // Each kept command's answer is stored under its own key, at its own event's position.
    for (const [index, key] of [[0, 'turn-a'], [2, 'turn-c']] as const) {
      const replay = await keys.claim({ scope: 's', key, requestHash: 'h', leaseMs: 60_000, ttlMs: 3_600_000 });
      expect(replay).toEqual({ outcome: 'replay', response: { status: 201, body: (results[index] as PromiseFulfilledResult<string>).value } });
    }
  });

  it('fails only the command whose presenter throws; the turn stays committed', async () => {
    const contexts: CommandContext[] = [{ requestId: 'p-1' }, { requestId: 'p-2' }];
    const decide = async (): Promise<{ outcomes: Outcome[]; cached: boolean }> => ({
      outcomes: [
        { appends: [{ stream: 'presenting', events: [{ type: 'Noted', schemaVersion: 1, data: {} }], expectedRevision: 'no_stream' }], present: () => 'ok' },
        {
          appends: [{ stream: 'presenting', events: [{ type: 'Noted', schemaVersion: 1, data: {} }], expectedRevision: 0 }],
          present: () => {
            throw new Error('presenter failed');
          },
        },
      ],
      cached: false,
    });
    const results = await executor.run(['presenting'], () => ({ contexts, decide }));

    expect(results[0]).toEqual({ status: 'fulfilled', value: 'ok' });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: { message: 'presenter failed' } });
    expect(await store.readStream('presenting', { maxCount: 10 })).toHaveLength(2);
  });

  /** One command appending to `stream` at the revision it believes, learning from the first conflict. */
  const believing = (stream: string, believed: () => number | 'no_stream') => async (): Promise<{ outcomes: Outcome[]; cached: boolean }> => ({
    outcomes: [{ appends: [{ stream, events: [{ type: 'Noted', schemaVersion: 1, data: {} }], expectedRevision: believed() }], present: (appended) => appended!.position.toString() }],
    cached: false,
  });

  it('decides again at once, without a catch-up, when the conflict told it what it missed and it learnt it', async () => {
    await store.append('learning', [newEvent(), newEvent()], 'no_stream');
    let believed: number | 'no_stream' = 'no_stream';
    const catchUps: boolean[] = [];
    const learnt: string[][] = [];
    const decide = believing('learning', () => believed);
    const results = await executor.run(['learning'], () => ({
      contexts: [{ requestId: 'learn-1' }],
      decide: async (catchUp) => {
        catchUps.push(catchUp);
        return decide();
      },
      learn: (missed) => {
        learnt.push(missed.get('learning')!.events.map((event) => String(event.revision)));
        believed = 1;
        return true;
      },
    }));
    expect(results[0]!.status).toBe('fulfilled');
    expect(learnt).toEqual([['0', '1']]);
    expect(catchUps).toEqual([false, false]);
    expect(await store.readStream('learning', { maxCount: 10 })).toHaveLength(3);
  });

  it('catches up when it could not learn what the conflict said it missed', async () => {
    await store.append('not-learning', [newEvent()], 'no_stream');
    let believed: number | 'no_stream' = 'no_stream';
    const catchUps: boolean[] = [];
    const decide = believing('not-learning', () => believed);
    await executor.run(['not-learning'], () => ({
      contexts: [{ requestId: 'learn-2' }],
      decide: async (catchUp) => {
        catchUps.push(catchUp);
        if (catchUp) believed = 0;
        return decide();
      },
      learn: () => false,
    }));
    expect(catchUps).toEqual([false, true]);
    expect(await store.readStream('not-learning', { maxCount: 10 })).toHaveLength(2);
  });
});
