import { randomUUID } from 'node:crypto';
import { eventStoreMigrations } from '@wallet/event-store';
import { mergeMigrations, migrate } from '@wallet/postgres';
import { type TestDatabase, createTestDatabase, schemaCatalog } from '@wallet/testing';
import { readModelStatus } from '../queries/read-model-status.queries';
import { listSnapshots } from '../queries/snapshots.queries';
import { findWallet } from '../queries/wallets.queries';
import { readModelMigrations } from './index';

describe("the read model's migrations on an empty database", () => {
  let database: TestDatabase;
  let applied: string[];

  beforeAll(async () => {
    database = await createTestDatabase(4, 'empty');
    // The read model's tables stand alone, but the projector reads the event store's log:
    // the two owners' lists together, in the recorded order.
    applied = await migrate(database.pool, mergeMigrations(eventStoreMigrations, readModelMigrations));
  });
  afterAll(() => database.drop());

  it('apply in the recorded order, interleaved with the event store', () => {
    expect(applied).toEqual([
      '0001-event-store',
      '0002-read-model',
      '0003-append-hardening',
      '0004-transaction-groups',
      '0005-event-feed',
      '0006-event-copy',
      '0007-group-commit',
      '0009-event-chain',
      '0010-snapshot-ids',
      '0011-idempotency-owners',
      '0012-transaction-lifecycle',
      '0013-limits-references-totals',
      '0014-conflict-missed-events',
    ]);
  });

  it('create the schema read_model with its tables and functions', async () => {
    const catalog = await schemaCatalog(database.pool);
    expect(catalog.schemas).toEqual(['event_store', 'public', 'read_model']);
    expect(catalog.tables.filter((table) => table.startsWith('read_model.'))).toEqual([
      'read_model.balances',
      'read_model.currency_totals',
      'read_model.currency_totals_history',
      'read_model.projection_checkpoints',
      'read_model.transaction_groups',
      'read_model.transaction_snapshots',
      'read_model.transactions',
      'read_model.transactions_archive',
      'read_model.wallet_owners',
      'read_model.wallets',
    ]);
    expect(catalog.functions.filter((fn) => fn.startsWith('read_model.')).map((fn) => fn.split('(')[0])).toEqual(['read_model.snapshot_id']);
  });

  it('leave a read model its queries read', async () => {
    expect(await listSnapshots(database.pool, randomUUID(), undefined, 10)).toEqual([]);
    expect(await findWallet(database.pool, randomUUID())).toBeUndefined();
    expect(await readModelStatus(database.pool)).toEqual({ checkpoint: 0n, failedPosition: null });
  });
});
