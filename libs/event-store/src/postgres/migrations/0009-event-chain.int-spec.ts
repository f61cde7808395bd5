import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { type TestDatabase, createTestDatabase } from '@wallet/testing';
import { verifyEventChain } from '../../chain/verify-chain';
import { PostgresEventStore } from '../postgres-event-store';
import { eventStoreMigrations } from './index';

const metadata = { correlationId: 'chain-start-spec', causationId: 'chain-start-spec' };

/** An append as append_batch took it before migration 0009: no content hash. */
const unhashedBatch = (stream: string, expected: string, count: number): string =>
  JSON.stringify({
    appends: [{ a: 1, member: 1, stream, expected, count }],
    events: Array.from({ length: count }, (_, i) => ({ a: 1, n: i + 1, k: i + 1, id: randomUUID(), type: 'Old', schema_version: 1, data: { i }, metadata })),
    keys: [],
  });

describe('migration 0009 on a log written before it', () => {
  let database: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    database = await createTestDatabase(4, 'empty');
    pool = database.pool;
    // The event store's schema as it stood before 0009: no other owner's migration touches it.
    const chain = eventStoreMigrations.findIndex((migration) => migration.name === '0009-event-chain');
    for (const migration of eventStoreMigrations.slice(0, chain)) await pool.query(migration.up);
  });
  afterAll(() => database.drop());

  it('starts the chain after the last position taken, accepts the events before it, chains the next ones and refuses unhashed ones', async () => {
    await pool.query('select * from event_store.append_batch($1::jsonb)', [unhashedBatch('old-1', 'no_stream', 2)]);
    await pool.query('select * from event_store.append_batch($1::jsonb)', [unhashedBatch('old-2', 'no_stream', 1)]);
    await pool.query('select * from event_store.append_batch($1::jsonb)', [unhashedBatch('old-1', '1', 1)]);
    // A rolled-back append takes positions too: the chain starts above them.
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query('select * from event_store.append_batch($1::jsonb)', [unhashedBatch('old-3', 'no_stream', 2)]);
      await client.query('rollback');
    } finally {
      client.release();
    }

    await pool.query(eventStoreMigrations.find((migration) => migration.name === '0009-event-chain')!.up);

    const { rows } = await pool.query<{ last: string }>('select last_unchained_position::text as last from event_store.chain_start');
    expect(rows).toEqual([{ last: '6' }]);
    const store = new PostgresEventStore(pool, { connectionString: database.url });
    try {
      await store.append('old-1', [{ type: 'New', schemaVersion: 1, data: { i: 3 }, metadata }], 2);
      await store.append('new-1', [{ type: 'New', schemaVersion: 1, data: { i: 0 }, metadata }], 'no_stream');
    } finally {
      await store.close();
    }
    const report = await verifyEventChain({ pool });
    expect(report).toMatchObject({ lastUnchainedPosition: 6n, streams: 3, events: 6, eventsBeforeChain: 4, brokenCount: 0 });
    await expect(pool.query('select * from event_store.append_batch($1::jsonb)', [unhashedBatch('old-2', '0', 1)])).rejects.toMatchObject({
      code: '23514',
      constraint: 'events_hash_check',
    });
  });
});
