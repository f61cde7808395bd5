import { randomBytes, randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { PostgresEventStore, verifyEventChain } from '@wallet/event-store';
import { TEST_CLUSTER } from '../../../testing/src/jest/test-cluster';
import { migrations } from './index';

const metadata = { correlationId: 'chain-start-spec', causationId: 'chain-start-spec' };

/** An append as append_batch took it before migration 0009: no content hash. */
const unhashedBatch = (stream: string, expected: string, count: number): string =>
  JSON.stringify({
    appends: [{ a: 1, member: 1, stream, expected, count }],
    events: Array.from({ length: count }, (_, i) => ({ a: 1, n: i + 1, k: i + 1, id: randomUUID(), type: 'Old', schema_version: 1, data: { i }, metadata })),
    keys: [],
  });

describe('migration 0009 on a log written before it', () => {
  const serverUrl = (): string => process.env[TEST_CLUSTER.urlVariable]!;
  const name = `wallet_test_${randomBytes(6).toString('hex')}`;
  let pool: Pool;

  beforeAll(async () => {
    await admin(serverUrl(), `create database ${name}`);
    const url = new URL(serverUrl());
    url.pathname = `/${name}`;
    pool = new Pool({ connectionString: url.toString(), max: 4 });
    pool.on('error', () => undefined);
    const chain = migrations.findIndex((migration) => migration.name === '0009-event-chain');
    for (const migration of migrations.slice(0, chain)) await pool.query(migration.up);
  });
  afterAll(async () => {
    await pool.end();
    await admin(serverUrl(), `drop database if exists ${name} with (force)`);
  });

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

    await pool.query(migrations.find((migration) => migration.name === '0009-event-chain')!.up);

    const { rows } = await pool.query<{ last: string }>('select last_unchained_position::text as last from event_store.chain_start');
    expect(rows).toEqual([{ last: '6' }]);
    const store = new PostgresEventStore(pool, { connectionString: pool.options.connectionString });
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

async function admin(serverUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
