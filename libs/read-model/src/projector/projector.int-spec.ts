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

  it('rides out lost connections: the database drops every backend, the projector carries on', async () => {
    const own = await createTestDatabase();
    const ownStore = new PostgresEventStore(own.pool, { connectionString: own.url }, { pollIntervalMs: 50, onError: () => undefined });
    own.pool.on('error', () => undefined);
    const projector = new Projector({ pool: own.pool, store: ownStore, snapshotEvery: 100, batchSizeMax: 50, log: () => undefined });
    const controller = new AbortController();
    const running = projector.run(controller.signal);
    const walletId = '01a1fde4-2bc7-757a-b1e8-a7843fdae107';
    await appendAll(ownStore, walletId, [opened({ walletId }), credited('01a1fde4-0000-7000-8000-000000000011', 5n, { walletId })]);
    const admin = new (await import('pg')).Client({ connectionString: own.url });
    await admin.connect();
    await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
    await admin.end();
    // The pool may hand out a connection the server just dropped: a client retries.
    const appendAgain = async (): Promise<bigint> => {
      const event = { ...encodeWalletEvent(credited('01a1fde4-0000-7000-8000-000000000012', 7n, { walletId })), metadata };
      for (let attempt = 0; ; attempt += 1) {
        try {
          return (await ownStore.append(`wallet-${walletId}`, [event], 1)).position;
        } catch (error) {
          if (attempt > 5) throw error;
        }
      }
    };
    const head = await appendAgain();
    const deadline = Date.now() + 15_000;
    while ((await readCheckpoint(own.pool, 'read_model')).position < head && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    await running;
    const { rows } = await own.pool.query('select ledger from read_model.balances where wallet_id = $1', [walletId]);
    await ownStore.close();
    await own.drop();
    expect(rows).toEqual([{ ledger: '12' }]);
  });
});
