import { Client } from 'pg';
import { PostgresEventStore, type RecordedEvent } from '@wallet/event-store';
import { appendOnConnection, createStoreTestDatabase, type StoreTestDatabase } from '@wallet/testing';
import { type LogReader, logReaderFor } from './log-reader';

const metadata = { correlationId: 'c-1', causationId: 'c-2', source: 'spec' };
/** Every field of a RecordedEvent, read through its getters. */
const fields = ({ id, stream, revision, position, type, schemaVersion, data, metadata, recordedAt }: RecordedEvent): RecordedEvent => ({ id, stream, revision, position, type, schemaVersion, data, metadata, recordedAt });
const event = (type: string, data: unknown = { n: 1 }): { type: string; schemaVersion: number; data: unknown; metadata: typeof metadata } => ({ type, schemaVersion: 1, data, metadata });

/**
 * Reads until `count` events show. A read can come back short while a transaction anywhere on
 * the server (another spec file creating its database) holds the visibility horizon back.
 */
async function readAtLeast(reader: LogReader, after: bigint, count: number, maxCount = 10): Promise<RecordedEvent[]> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    const events = await reader.read(after, maxCount);
    if (events.length >= count) return events;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`Fewer than ${count} events after ${after}.`);
}

describe('logReaderFor', () => {
  let database: StoreTestDatabase;

  beforeAll(async () => (database = await createStoreTestDatabase(4)));
  afterAll(() => database.drop());

  it('reads a PostgreSQL store on the same pool directly, and any other through the port', async () => {
    const other = new PostgresEventStore(database.pool, { connectionString: database.url });
    const wrapped = { ...database.store, readAll: database.store.readAll.bind(database.store) };
    expect(logReaderFor(database.store, database.pool).kind).toBe('direct');
    expect(logReaderFor(other, database.pool).kind).toBe('direct');
    expect(logReaderFor(wrapped as unknown as PostgresEventStore, database.pool).kind).toBe('port');
    const elsewhere = await createStoreTestDatabase(1);
    try {
      expect(logReaderFor(elsewhere.store, database.pool).kind).toBe('port');
    } finally {
      await elsewhere.drop();
    }
    await other.close();
  });

  it('returns what the store returns, metadata and recording time included', async () => {
    const head = await database.store.headPosition();
    await database.store.append('wallet-reader-1', [event('A', { text: 'é "q"', list: [1, 2] }), event('B')], 'no_stream');
    await database.store.append('group-reader-1', [event('C', { nested: { deep: true } })], 'no_stream');

    const direct = await readAtLeast(logReaderFor(database.store, database.pool), head, 3);
    const port = await readAtLeast({ kind: 'port', read: (after, maxCount) => database.store.readAll({ after, maxCount }) }, head, 3);

    expect(direct.map(fields)).toEqual(port.map(fields));
    expect(await readAtLeast(logReaderFor(database.store, database.pool), head, 2, 2)).toHaveLength(2);
  });

  it('never passes an earlier position whose transaction commits last', async () => {
    const head = await database.store.headPosition();
    const reader = logReaderFor(database.store, database.pool);
    const slow = new Client({ connectionString: database.url });
    await slow.connect();
    try {
      await slow.query('begin');
      const slowPosition = await appendOnConnection(slow, 'slow-reader', 'no_stream', event('Slow'));
      const fast = await database.store.append('fast-reader', [event('Fast')], 'no_stream');
      expect(fast.position).toBeGreaterThan(slowPosition);

      expect(await reader.read(head, 10)).toEqual([]);

      await slow.query('commit');
      expect((await readAtLeast(reader, head, 2)).map((e) => [e.type, e.position])).toEqual([['Slow', slowPosition], ['Fast', fast.position]]);
    } finally {
      await slow.end();
    }
  });
});
