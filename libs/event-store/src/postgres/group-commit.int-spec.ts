import { createTestDatabase, newEvent, readAllAtLeast, type TestDatabase } from '@wallet/testing';
import { DuplicateEventIdError, IdempotencyLeaseLostError, WrongExpectedRevisionError } from '../event-store.errors';
import type { AppendResult } from '../event-store.port';
import { PostgresEventStore } from './postgres-event-store';
import { PostgresIdempotencyStore } from './postgres-idempotency-store';

describe('PostgresEventStore group commit', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    // One batch in flight: every append that arrives meanwhile joins the next one.
    store = new PostgresEventStore(database.pool, { connectionString: database.url }, { pollIntervalMs: 100, groupCommit: { concurrentBatches: 1 } });
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  const transactionsOf = async (results: readonly AppendResult[]): Promise<number> => {
    const positions = results.map((result) => result.position.toString());
    const { rows } = await database.pool.query<{ count: string }>(
      'select count(distinct transaction_id) as count from event_store.events where position = any($1::bigint[])',
      [positions],
    );
    return Number(rows[0]!.count);
  };

  it('writes concurrent appends in shared transactions, each at its own revision', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => store.append(`shared-${i}`, [newEvent('A'), newEvent('B')], 'no_stream')));
    expect(results.map((result) => result.events.map((event) => [event.stream, event.revision]))).toEqual(
      Array.from({ length: 50 }, (_, i) => [[`shared-${i}`, 0], [`shared-${i}`, 1]]),
    );
    // 50 appends, far fewer transactions: the first went alone, the rest waited and shared.
    expect(await transactionsOf(results)).toBeLessThanOrEqual(5);
    const positions = results.flatMap((result) => result.events.map((event) => event.position));
    expect(new Set(positions).size).toBe(100);
  });

  it('fails only the appends whose expected revision is wrong, and writes nothing of them', async () => {
    await store.append('contended', [newEvent()], 'no_stream');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? store.append('contended', [newEvent('Won')], 0) : store.append(`free-${i}`, [newEvent()], 'no_stream'))),
    );
    const contended = outcomes.filter((_, i) => i % 3 === 0);
    expect(contended.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    for (const outcome of contended.filter((o) => o.status === 'rejected')) {
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
    }
    expect(outcomes.filter((_, i) => i % 3 !== 0).every((outcome) => outcome.status === 'fulfilled')).toBe(true);
    expect((await store.readStream('contended', { maxCount: 10 })).map((event) => event.revision)).toEqual([0, 1]);
  });

  it('writes none of a multi-stream append when one of its streams fails, not even a new stream', async () => {
    await store.append('ph-old', [newEvent()], 'no_stream');
    await expect(
      store.appendMany([
        { stream: 'ph-new', events: [newEvent()], expectedRevision: 'no_stream' },
        { stream: 'ph-old', events: [newEvent()], expectedRevision: 5 },
      ]),
    ).rejects.toMatchObject({ stream: 'ph-old', actual: 0 });
    const { rows } = await database.pool.query("select stream, revision::int from event_store.streams where stream like 'ph-%' order by stream");
    expect(rows).toEqual([{ stream: 'ph-old', revision: 0 }]);
    expect(await store.readStream('ph-new', { maxCount: 10 })).toEqual([]);
  });

  it('fails only the append that reuses an event id', async () => {
    const taken = crypto.randomUUID();
    await store.append('ids-taken', [{ ...newEvent(), id: taken }], 'no_stream');
    const outcomes = await Promise.allSettled([
      store.append('ids-a', [newEvent()], 'no_stream'),
      store.append('ids-b', [{ ...newEvent(), id: taken }], 'no_stream'),
      store.append('ids-c', [newEvent()], 'no_stream'),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateEventIdError);
    expect(await store.readStream('ids-b', { maxCount: 10 })).toEqual([]);
  });

  it('fails only the append whose idempotency lease was lost, and leaves no trace of its stream', async () => {
    const keys = new PostgresIdempotencyStore(database.pool);
    const claim = async (key: string): Promise<string> => {
      const claimed = await keys.claim({ scope: 's', key, requestHash: 'h', leaseMs: 60_000, ttlMs: 3_600_000 });
      if (claimed.outcome !== 'claimed') throw new Error('expected a claim');
      return claimed.token;
    };
    const completion = (key: string, token: string) => ({ scope: 's', key, token, response: (r: AppendResult) => ({ status: 201, body: { at: r.position.toString() } }) });
    const held = await claim('held');
    const outcomes = await Promise.allSettled([
      store.append('lease-held', [newEvent()], 'no_stream', { idempotency: [completion('held', held)] }),
      store.append('lease-lost', [newEvent()], 'no_stream', { idempotency: [completion('lost', crypto.randomUUID())] }),
      store.append('lease-none', [newEvent()], 'no_stream'),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(IdempotencyLeaseLostError);
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ key: 'lost' });
    const { rows } = await database.pool.query("select stream from event_store.streams where stream like 'lease-%' order by stream");
    expect(rows).toEqual([{ stream: 'lease-held' }, { stream: 'lease-none' }]);
    const replay = await keys.claim({ scope: 's', key: 'held', requestHash: 'h', leaseMs: 60_000, ttlMs: 3_600_000 });
    const position = (outcomes[0] as PromiseFulfilledResult<AppendResult>).value.position.toString();
    expect(replay).toEqual({ outcome: 'replay', response: { status: 201, body: { at: position } } });
  });

  it('never lets a reader skip an event under 16 writers sharing batches', async () => {
    const from = await store.headPosition();
    const writers = Array.from({ length: 16 }, (_, w) => (async () => {
      for (let i = 0; i < 25; i += 1) await store.append(`skip-${w}`, [newEvent()], i === 0 ? 'no_stream' : i - 1);
    })());
    const seen: bigint[] = [];
    let after = from;
    while (seen.length < 400) {
      const page = await store.readAll({ after, maxCount: 37 });
      for (const event of page) seen.push(event.position);
      after = page.at(-1)?.position ?? after;
    }
    await Promise.all(writers);
    const all = await readAllAtLeast(store, from, 400);
    expect(seen).toEqual(all.map((event) => event.position));
  });
});
