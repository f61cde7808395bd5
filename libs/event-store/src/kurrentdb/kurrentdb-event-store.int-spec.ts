import { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { createTestDatabase, describeEventStoreContract, kurrentDbUnderTest, type KurrentDbUnderTest, newEvent, type TestDatabase } from '@wallet/testing';
import { Pool } from 'pg';
import { IdempotencyAnswerUnsavedError } from '../event-store.errors';
import { PostgresIdempotencyStore } from '../postgres/postgres-idempotency-store';
import { KurrentDbEventStore } from './kurrentdb-event-store';

async function kurrentStore(): Promise<{ store: KurrentDbEventStore; database: TestDatabase; server: KurrentDbUnderTest; teardown(): Promise<void> }> {
  const [server, database] = await Promise.all([kurrentDbUnderTest(), createTestDatabase()]);
  const store = new KurrentDbEventStore(KurrentDBClient.connectionString(server.connectionString), new PostgresIdempotencyStore(database.pool));
  return {
    store,
    database,
    server,
    teardown: async () => {
      await store.close();
      await Promise.all([server.stop(), database.drop()]);
    },
  };
}

describeEventStoreContract('kurrentdb', async () => ({ ...(await kurrentStore()), eventIds: 'idempotent-per-stream' }));

describe('KurrentDbEventStore', () => {
  let fixture: Awaited<ReturnType<typeof kurrentStore>>;
  beforeAll(async () => {
    fixture = await kurrentStore();
  });
  afterAll(async () => fixture.teardown());

  it('keeps the schema version and the metadata, and stores metadata as a JSON object of strings', async () => {
    const stream = `wallet-${crypto.randomUUID()}`;
    const event = { ...newEvent('Opened', { amount: '10' }), schemaVersion: 3, metadata: { correlationId: 'c', causationId: 'd', idempotencyKey: 'k' } };
    await fixture.store.append(stream, [event], 'no_stream');
    const [read] = await fixture.store.readStream(stream, { maxCount: 1 });
    expect(read).toMatchObject({ type: 'Opened', schemaVersion: 3, data: { amount: '10' }, metadata: { correlationId: 'c', causationId: 'd', idempotencyKey: 'k' } });

    const raw = KurrentDBClient.connectionString(fixture.server.connectionString);
    for await (const resolved of raw.readStream(stream, { maxCount: 1 })) {
      expect(resolved.event?.metadata).toEqual({ correlationId: 'c', causationId: 'd', idempotencyKey: 'k', schemaVersion: '3' });
    }
    await raw.dispose();
  });

  it('refuses metadata it could not store faithfully, writing nothing', async () => {
    const stream = `wallet-${crypto.randomUUID()}`;
    const event = { ...newEvent(), metadata: { correlationId: 'c', causationId: 'd', attempt: 2 } };
    await expect(fixture.store.append(stream, [event], 'no_stream')).rejects.toThrow(/metadata values must be strings/);
    expect(await fixture.store.readStream(stream, { maxCount: 10 })).toEqual([]);
  });

  it('answers an append with the positions and times a read returns', async () => {
    const [a, b] = [`wallet-${crypto.randomUUID()}`, `group-${crypto.randomUUID()}`];
    const result = await fixture.store.appendMany([
      { stream: a, events: [newEvent('A1'), newEvent('A2')], expectedRevision: 'no_stream' },
      { stream: b, events: [newEvent('B1')], expectedRevision: 'no_stream' },
    ]);
    const read = [...(await fixture.store.readStream(a, { maxCount: 10 })), ...(await fixture.store.readStream(b, { maxCount: 10 }))];
    const byId = (id: string) => read.find((event) => event.id === id)!;
    for (const event of result.events) {
      expect([event.position, event.revision, event.recordedAt.getTime()]).toEqual([byId(event.id).position, byId(event.id).revision, byId(event.id).recordedAt.getTime()]);
    }
    expect(Math.abs(result.events[0]!.recordedAt.getTime() - Date.now())).toBeLessThan(5_000);
  });

  it('completes the idempotency record with the response of the append', async () => {
    const keys = new PostgresIdempotencyStore(fixture.database.pool);
    const claim = await keys.claim({ scope: 's', key: 'k', requestHash: 'h', leaseMs: 60_000, ttlMs: 3_600_000 });
    if (claim.outcome !== 'claimed') throw new Error('expected a claim');
    const completion = { scope: 's', key: 'k', token: claim.token, response: (r: { position: bigint }) => ({ status: 201, body: { position: r.position.toString() } }) };
    const result = await fixture.store.append(`wallet-${crypto.randomUUID()}`, [newEvent()], 'no_stream', { idempotency: [completion] });
    const replay = await keys.claim({ scope: 's', key: 'k', requestHash: 'h', leaseMs: 60_000, ttlMs: 3_600_000 });
    expect(replay).toEqual({ outcome: 'replay', response: { status: 201, body: { position: result.position.toString() } } });
  });

  it('says so when the events were appended but the answer could not be stored, so that the key is not released', async () => {
    const closed = new Pool({ connectionString: fixture.database.url });
    await closed.end();
    const store = new KurrentDbEventStore(KurrentDBClient.connectionString(fixture.server.connectionString), new PostgresIdempotencyStore(closed));
    const stream = `wallet-${crypto.randomUUID()}`;
    const completion = { scope: 's', key: 'unsaved', token: crypto.randomUUID(), response: () => ({ status: 201, body: {} }) };
    try {
      await expect(store.append(stream, [newEvent()], 'no_stream', { idempotency: [completion] })).rejects.toBeInstanceOf(IdempotencyAnswerUnsavedError);
      expect(await fixture.store.readStream(stream, { maxCount: 10 })).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it('reads none of the server\'s own events from $all', async () => {
    const events = await fixture.store.readAll({ after: 0n, maxCount: 10_000 });
    expect(events.filter((event) => event.type.startsWith('$') || event.stream.startsWith('$'))).toEqual([]);
  });
});
