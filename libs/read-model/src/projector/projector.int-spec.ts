import { createTestDatabase, type TestDatabase } from '@wallet/testing';
import { PostgresEventStore } from '@wallet/event-store';
import { encodeWalletEvent, type WalletEvent } from '@wallet/domain';
import { catchUpToHead, credited, held, opened, confirmed, rejected } from '@wallet/testing';
import { Projector } from './projector';
import { readCheckpoint } from './checkpoints';

const metadata = { correlationId: 'c', causationId: 'c' };

async function appendAll(store: PostgresEventStore, walletId: string, events: WalletEvent[]): Promise<void> {
  for (const [revision, event] of events.entries()) {
    await store.append(`wallet-${walletId}`, [{ ...encodeWalletEvent(event), metadata }], revision === 0 ? 'no_stream' : revision - 1);
  }
}

describe('Projector', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    store = new PostgresEventStore(database.pool, { connectionString: database.url }, { pollIntervalMs: 50 });
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('projects wallets, balances, transactions and snapshots, and moves the checkpoint', async () => {
    const walletId = '01a1fde4-2bc7-757a-b1e8-a7843fdae106';
    const events = [
      opened({ walletId }),
      credited('01a1fde4-0000-7000-8000-000000000001', 1000n, { walletId }),
      held('01a1fde4-0000-7000-8000-000000000002', 'debit', 300n, { walletId }),
      confirmed('01a1fde4-0000-7000-8000-000000000002', 'debit', 300n, { walletId }),
      held('01a1fde4-0000-7000-8000-000000000003', 'credit', 50n, { walletId }),
      rejected('01a1fde4-0000-7000-8000-000000000003', 'credit', 50n, { walletId }),
    ];
    await appendAll(store, walletId, events);
    const projector = new Projector({ pool: database.pool, store, snapshotEvery: 3, batchSizeMax: 2, log: () => undefined });
    const checkpoint = await catchUpToHead(projector, database.pool);

    expect((await readCheckpoint(database.pool, 'read_model')).position).toBe(checkpoint);
    const { rows: balances } = await database.pool.query('select ledger, pending_debits, pending_credits, transaction_count from read_model.balances');
    expect(balances).toEqual([{ ledger: '700', pending_debits: '0', pending_credits: '0', transaction_count: '3' }]);
    const { rows: transactions } = await database.pool.query('select status, amount from read_model.transactions order by created_position');
    expect(transactions).toEqual([{ status: 'confirmed', amount: '1000' }, { status: 'confirmed', amount: '300' }, { status: 'rejected', amount: '50' }]);
    const { rows: snapshots } = await database.pool.query('select revision, ledger from read_model.transaction_snapshots order by position');
    expect(snapshots.map((s) => s.revision)).toEqual(['0', '3']);
  });
});
