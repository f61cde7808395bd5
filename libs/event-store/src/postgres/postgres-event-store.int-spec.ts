import { Client, Pool } from 'pg';
import { appendOnConnection, createTestDatabase, describeEventStoreContract, newEvent, readAllAtLeast, type TestDatabase } from '@wallet/testing';
import type { RecordedEvent } from '../event-store.port';
import { IdempotencyLeaseLostError, WrongExpectedRevisionError } from '../event-store.errors';
import { PostgresEventStore } from './postgres-event-store';
import { PostgresIdempotencyStore } from './postgres-idempotency-store';

describeEventStoreContract('postgres', async () => {
  const database = await createTestDatabase();
  const store = new PostgresEventStore(database.pool, { connectionString: database.url }, { pollIntervalMs: 100 });
  return { store, eventIds: 'unique', teardown: async () => { await store.close(); await database.drop(); } };
});

describe('PostgresEventStore ordering and atomicity', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    store = new PostgresEventStore(database.pool, { connectionString: database.url }, { pollIntervalMs: 100 });
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('never lets a reader skip an earlier position whose transaction commits last', async () => {
    const head = (await store.append('head', [newEvent()], 'no_stream')).position;
    const controller = new AbortController();
    const live: RecordedEvent[] = [];
    const following = (async () => {
      for await (const batch of store.subscribeAll({ after: head, signal: controller.signal })) {
        live.push(...batch);
        if (live.length >= 2) controller.abort();
      }
    })();

    const slow = new Client({ connectionString: database.url });
    await slow.connect();
    await slow.query('begin');
    const slowPosition = await appendOnConnection(slow, 'slow', 'no_stream', newEvent('Slow'));

    const fast = await store.append('fast', [newEvent('Fast')], 'no_stream');
    expect(fast.position).toBeGreaterThan(slowPosition);
    // The later position is committed, the earlier one is not: a reader must wait.
    expect(await store.readAll({ after: head, maxCount: 10 })).toEqual([]);

    // A reader starting at the visible head cannot miss the slow event; one starting at the head would.
    expect(await store.headPosition()).toBe(fast.position);
    expect(await store.visibleHeadPosition()).toBeLessThan(slowPosition);

    await slow.query('commit');
    await slow.end();
    const read = await readAllAtLeast(store, head, 2);
    expect(read.map((e) => [e.type, e.position])).toEqual([['Slow', slowPosition], ['Fast', fast.position]]);
    await following;
    expect(live.map((e) => e.type)).toEqual(['Slow', 'Fast']);
  });

  it('writes the idempotency response in the same transaction as the events', async () => {
    const keys = new PostgresIdempotencyStore(database.pool);
    const claim = await keys.claim({ scope: 's', key: 'k', requestHash: 'h', leaseMs: 60_000, ttlMs: 3_600_000 });
    if (claim.outcome !== 'claimed') throw new Error('expected a claim');
    const completion = { scope: 's', key: 'k', token: claim.token, response: (r: { position: bigint }) => ({ status: 201, body: { position: r.position.toString() } }) };
    const result = await store.append('idem-1', [newEvent()], 'no_stream', { idempotency: [completion] });

    const replay = await keys.claim({ scope: 's', key: 'k', requestHash: 'h', leaseMs: 60_000, ttlMs: 3_600_000 });
    expect(replay).toEqual({ outcome: 'replay', response: { status: 201, body: { position: result.position.toString() } } });
    // A stale token (the key was taken over) must roll the events back.
    const stale = { ...completion, token: crypto.randomUUID() };
    await expect(store.append('idem-2', [newEvent()], 'no_stream', { idempotency: [stale] })).rejects.toBeInstanceOf(IdempotencyLeaseLostError);
    expect(await store.readStream('idem-2', { maxCount: 10 })).toEqual([]);
  });

  it('keeps positions in commit-safe order under 16 concurrent writers', async () => {
    const from = (await store.append('mark', [newEvent()], 'no_stream')).position;
    await Promise.all(Array.from({ length: 16 }, (_, w) => (async () => {
      for (let i = 0; i < 20; i += 1) await store.append(`w-${w}`, [newEvent()], i === 0 ? 'no_stream' : i - 1);
    })()));
    const seen = await readAllAtLeast(store, from, 320);
    expect(seen).toHaveLength(320);
    expect(seen.every((e, i) => i === 0 || seen[i - 1]!.position < e.position)).toBe(true);
  });

  it('never deadlocks two multi-stream appends that name the same streams in opposite orders', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) => {
        const pair = [{ stream: 'pair-a', events: [newEvent()], expectedRevision: 'any' as const }, { stream: 'pair-b', events: [newEvent()], expectedRevision: 'any' as const }];
        return store.appendMany(i % 2 === 0 ? pair : [...pair].reverse());
      }),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(await store.readStream('pair-a', { maxCount: 100 })).toHaveLength(60);
  });

  it('leaves no append lock behind when statements are cancelled at random instants', async () => {
    const impatient = new Pool({ connectionString: database.url, max: 6, statement_timeout: 1 });
    await Promise.all(Array.from({ length: 6 }, async (_, w) => {
      for (let i = 0; i < 40; i += 1) {
        await appendOnConnection(impatient, `cancel-${w}-${i}`, 'any', newEvent()).catch(() => undefined);
      }
    }));
    // Advisory locks belong to a database; other specs append in theirs on the same server.
    const { rows } = await database.pool.query(
      "select count(*)::int as held from pg_locks where locktype = 'advisory' and objid = 7308611573::bigint % 4294967296 and database = (select oid from pg_database where datname = current_database())",
    );
    await impatient.end();
    expect(rows[0].held).toBe(0);
    await expect(store.append('after-cancels', [newEvent()], 'no_stream')).resolves.toMatchObject({ position: expect.any(BigInt) });
  });

  it('reads many streams in one call, each from its own revision, as readStream would', async () => {
    await store.append('many-a', [newEvent('A0'), newEvent('A1'), newEvent('A2')], 'no_stream');
    await store.append('many-b', [newEvent('B0')], 'no_stream');
    const reads = [
      { stream: 'many-a', fromRevision: 1 },
      { stream: 'many-missing', fromRevision: 0 },
      { stream: 'many-b', fromRevision: 1 },
      { stream: 'many-b', fromRevision: 0 },
    ];
    const pages = await store.readStreams(reads, 10);
    expect(pages.map((page) => page.map((event) => event.type))).toEqual([['A1', 'A2'], [], [], ['B0']]);
    for (const [index, read] of reads.entries()) expect(pages[index]).toEqual(await store.readStream(read.stream, { fromRevision: read.fromRevision, maxCount: 10 }));
    // The count bounds each stream, not the call.
    expect((await store.readStreams([{ stream: 'many-a', fromRevision: 0 }, { stream: 'many-b', fromRevision: 0 }], 1)).map((page) => page.length)).toEqual([1, 1]);
    expect(await store.readStreams([], 10)).toEqual([]);
  });

  it('answers a conflict with the events the writer missed on every stream that moved on', async () => {
    await store.append('missed-a', [newEvent('A0'), newEvent('A1'), newEvent('A2')], 'no_stream');
    await store.append('missed-b', [newEvent('B0')], 'no_stream');
    await store.append('missed-c', [newEvent('C0')], 'no_stream');
    const conflict = await store
      .appendMany([
        { stream: 'missed-a', events: [newEvent()], expectedRevision: 0 },
        { stream: 'missed-b', events: [newEvent()], expectedRevision: 'no_stream' },
        { stream: 'missed-c', events: [newEvent()], expectedRevision: 0 },
      ])
      .then(() => undefined, (error: unknown) => error);
    expect(conflict).toBeInstanceOf(WrongExpectedRevisionError);
    const { stream, actual, missed } = conflict as WrongExpectedRevisionError;
    expect([stream, actual]).toEqual(['missed-a', 2]);
    // missed-c was where the writer expected it: not named.
    expect([...missed!.keys()].sort()).toEqual(['missed-a', 'missed-b']);
    expect(missed!.get('missed-a')!.events.map((event) => [event.type, event.revision])).toEqual([['A1', 1], ['A2', 2]]);
    expect(missed!.get('missed-a')!.events[0]).toEqual((await store.readStream('missed-a', { fromRevision: 1, maxCount: 1 }))[0]);
    expect(missed!.get('missed-b')).toMatchObject({ complete: true, events: [expect.objectContaining({ type: 'B0', revision: 0 })] });
    expect(await store.readStream('missed-c', { maxCount: 10 })).toHaveLength(1);
  });

  it('tells a conflict missing more than it carries that the rest must be read', async () => {
    await store.append('missed-long', Array.from({ length: 150 }, () => newEvent()), 'no_stream');
    const conflict = (await store.append('missed-long', [newEvent()], 0).catch((error: unknown) => error)) as WrongExpectedRevisionError;
    expect(conflict.missed!.get('missed-long')).toMatchObject({ complete: false });
    expect(conflict.missed!.get('missed-long')!.events.map((event) => event.revision)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });
});
