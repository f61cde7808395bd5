import { Client } from 'pg';
import type { EventStore, RecordedEvent } from '@wallet/event-store';
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

  it('reads with the store\'s lean read where it has one, else with readAll', async () => {
    const plain = { readAll: database.store.readAll.bind(database.store) } as unknown as EventStore;
    expect(logReaderFor(database.store).kind).toBe('lean');
    expect(logReaderFor(plain).kind).toBe('full');
    const head = await database.store.headPosition();
    await database.store.append('wallet-reader-0', [event('A')], 'no_stream');
    expect((await readAtLeast(logReaderFor(plain), head, 1)).map((e) => e.stream)).toEqual(['wallet-reader-0']);
  });

  it('returns what the store returns, metadata and recording time included', async () => {
    const head = await database.store.headPosition();
    await database.store.append('wallet-reader-1', [event('A', { text: 'é "q"', list: [1, 2] }), event('B')], 'no_stream');
    await database.store.append('group-reader-1', [event('C', { nested: { deep: true } })], 'no_stream');

    const lean = await readAtLeast(logReaderFor(database.store), head, 3);
    const full = await readAtLeast({ kind: 'full', read: (after, maxCount) => database.store.readAll({ after, maxCount }) }, head, 3);

    expect(lean.map(fields)).toEqual(full.map(fields));
    expect(await readAtLeast(logReaderFor(database.store), head, 2, 2)).toHaveLength(2);
  });

  it('never passes an earlier position whose transaction commits last', async () => {
    const head = await database.store.headPosition();
    const reader = logReaderFor(database.store);
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
