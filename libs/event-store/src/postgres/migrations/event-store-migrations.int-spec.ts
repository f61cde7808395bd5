import { migrate } from '@wallet/postgres';
import { type TestDatabase, createTestDatabase, schemaCatalog } from '@wallet/testing';
import { verifyEventChain } from '../../chain/verify-chain';
import { PostgresEventStore } from '../postgres-event-store';
import { eventStoreMigrations } from './index';

const metadata = { correlationId: 'event-store-migrations-spec', causationId: 'event-store-migrations-spec' };

describe("the event store's migrations on an empty database", () => {
  let database: TestDatabase;
  let applied: string[];

  beforeAll(async () => {
    database = await createTestDatabase(4, 'empty');
    // The event store depends on no other owner's schema: its own list is complete.
    applied = await migrate(database.pool, eventStoreMigrations);
  });
  afterAll(() => database.drop());

  it('apply in their recorded order', () => {
    expect(applied).toEqual(['0001-event-store', '0003-append-hardening', '0005-event-feed', '0006-event-copy', '0007-group-commit', '0009-event-chain', '0011-idempotency-owners', '0014-conflict-missed-events']);
  });

  it('create the schema event_store and nothing of another owner', async () => {
    const catalog = await schemaCatalog(database.pool);
    expect(catalog.schemas).toEqual(['event_store', 'public']);
    expect(catalog.tables).toEqual([
      'event_store.chain_start',
      'event_store.copy_progress',
      'event_store.events',
      'event_store.idempotency_keys',
      'event_store.streams',
      'public.schema_migrations',
    ]);
    expect(catalog.functions.map((fn) => fn.split('(')[0])).toEqual([
      'event_store.append_batch',
      'event_store.chain_hashes',
      'event_store.chain_step',
      'event_store.take_positions',
    ]);
    expect(catalog.sequences).toEqual(['event_store.events_position_seq']);
  });

  it('leave a store that appends, reads and chains its events', async () => {
    const store = new PostgresEventStore(database.pool, { connectionString: database.url });
    try {
      await store.append('s-1', [{ type: 'Happened', schemaVersion: 1, data: { n: 1 }, metadata }], 'no_stream');
      await store.append('s-1', [{ type: 'Happened', schemaVersion: 1, data: { n: 2 }, metadata }], 0);
      expect((await store.readStream('s-1', { maxCount: 10 })).map((event) => event.data)).toEqual([{ n: 1 }, { n: 2 }]);
    } finally {
      await store.close();
    }
    expect(await verifyEventChain({ pool: database.pool })).toMatchObject({ streams: 1, events: 2, brokenCount: 0 });
  });
});
