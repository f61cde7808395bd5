import {
  appendWalletEvents,
  captured,
  catchUpToHead,
  createStoreTestDatabase,
  increased,
  interleave,
  reversed,
  type StoreTestDatabase,
  transactionIdN,
  walletHistory,
  walletIdN,
} from '@wallet/testing';
import { archiveTransactions } from '../archive/archive';
import { Projector } from '../projector/projector';
import { verifyReadModel } from './verify';

describe('verifyReadModel', () => {
  let database: StoreTestDatabase;
  const [first, second, third] = [walletIdN(1), walletIdN(2), walletIdN(3)];
  const events = interleave(walletHistory(first, 12), walletHistory(second, 12), walletHistory(third, 7));

  beforeEach(async () => {
    database = await createStoreTestDatabase(4);
    await appendWalletEvents(database.store, events);
    await catchUpToHead(new Projector({ pool: database.pool, store: database.store, snapshotEvery: 4, batchSizeMax: 9, log: () => undefined }), database.pool);
  });
  afterEach(() => database.drop());

  const verify = (): ReturnType<typeof verifyReadModel> => verifyReadModel({ pool: database.pool, store: database.store, pageSize: 2 });

  it('finds no drift in a healthy read model, archived transactions included', async () => {
    expect((await archiveTransactions(database.pool, { olderThan: new Date('2100-01-01') })).moved).toBeGreaterThan(0);
    const progress: bigint[] = [];

    const report = await verifyReadModel({ pool: database.pool, store: database.store, pageSize: 7, onProgress: (position) => progress.push(position) });

    expect(report).toEqual({ checkpoint: BigInt(events.length), head: BigInt(events.length), failedPosition: null, eventsFolded: events.length, walletsCompared: 3, driftCount: 0, drifts: [] });
    expect(progress.at(-1)).toBe(BigInt(events.length));
  });

  it('reports the wallet and the field that drifted', async () => {
    const { rows } = await database.pool.query<{ ledger: string }>('update read_model.balances set ledger = ledger + 1 where wallet_id = $1 returning ledger', [second]);
    const ledger = BigInt(rows[0]!.ledger);

    const report = await verify();

    expect(report.drifts).toEqual([{ walletId: second, field: 'ledger', expected: (ledger - 1n).toString(), actual: ledger.toString() }]);
    expect(report.driftCount).toBe(1);
  });

  it('reports pending totals, counts and missing transaction rows', async () => {
    await database.pool.query('update read_model.balances set pending_debits = 0, pending_credits = 9, transaction_count = 1 where wallet_id = $1', [first]);
    // The wallet's first transaction: a confirmed credit of 1,000.
    await database.pool.query('delete from read_model.transactions where id = $1', [transactionIdN(third, 0)]);

    const { drifts } = await verify();

    expect(drifts).toEqual([
      { walletId: first, field: 'pendingDebits', expected: '10', actual: '0' },
      { walletId: first, field: 'pendingCredits', expected: '0', actual: '9' },
      { walletId: first, field: 'transactionCount', expected: '12', actual: '1' },
      { walletId: third, field: 'transactionRows', expected: '7', actual: '6' },
      { walletId: third, field: 'amount', expected: '2290', actual: '1290' },
      { walletId: third, field: 'capturedAmount', expected: '2215', actual: '1215' },
      { walletId: third, field: 'confirmedRows', expected: '5', actual: '4' },
    ]);
  });

  describe('after a payment lifecycle', () => {
    // The first wallet's history leaves debit hold 4 (5) pending and debit 3 (10) confirmed.
    const [hold, debit] = [transactionIdN(first, 4), transactionIdN(first, 3)];
    const lifecycle = [
      increased(hold, 'debit', 7n, { walletId: first }),
      captured(hold, 'debit', 2n, { walletId: first }),
      captured(hold, 'debit', 6n, { walletId: first, releasedMinor: 4n, final: true }),
      reversed(transactionIdN(first, 200), hold, 'credit', 3n, { walletId: first }),
      reversed(transactionIdN(first, 201), debit, 'credit', 10n, { walletId: first }),
    ];

    beforeEach(async () => {
      await archiveTransactions(database.pool, { olderThan: new Date('2100-01-01'), reversibleOlderThan: new Date('2100-01-01') });
      await appendWalletEvents(database.store, lifecycle);
      await catchUpToHead(new Projector({ pool: database.pool, store: database.store, snapshotEvery: 4, batchSizeMax: 2, log: () => undefined }), database.pool);
    });

    it('finds no drift, the reversed original archived', async () => {
      const { rows } = await database.pool.query('select reversed_amount from read_model.transactions_archive where id = $1', [debit]);
      expect(rows).toEqual([{ reversed_amount: '10' }]);

      expect(await verify()).toMatchObject({ eventsFolded: events.length + lifecycle.length, driftCount: 0 });
    });

    it('reports a column changed within the rules of a row, and a status', async () => {
      await database.pool.query('update read_model.transactions set captured_amount = captured_amount - 1, released_amount = released_amount + 1, reversed_amount = 1 where id = $1', [hold]);
      await database.pool.query(`update read_model.transactions_archive set status = 'rejected' where id = $1`, [debit]);

      const { drifts } = await verify();

      expect(drifts.map((drift) => [drift.field, BigInt(drift.actual) - BigInt(drift.expected)])).toEqual([
        ['capturedAmount', -1n],
        ['releasedAmount', 1n],
        ['reversedAmount', -2n],
        ['confirmedRows', -1n],
        ['rejectedRows', 1n],
      ]);
      expect(drifts.every((drift) => drift.walletId === first)).toBe(true);
    });

    it('reports a row that breaks the rules of its amounts', async () => {
      await database.pool.query('alter table read_model.transactions drop constraint transactions_amounts_check');
      await database.pool.query('update read_model.transactions set amount = amount + 1 where id = $1', [hold]);

      const { drifts } = await verify();

      expect(drifts).toEqual([
        { walletId: first, field: 'amount', expected: expect.any(String), actual: expect.any(String) },
        { walletId: first, field: 'brokenRows', expected: '0', actual: '1' },
      ]);
    });
  });

  it('reports wallets found on one side only', async () => {
    const stranger = walletIdN(99);
    await database.pool.query('delete from read_model.balances where wallet_id = $1', [third]);
    await database.pool.query(
      `insert into read_model.balances (wallet_id, ledger, pending_debits, pending_credits, transaction_count, revision, position, events_since_snapshot, last_snapshot_at)
       values ($1, 0, 0, 0, 0, 0, 1, 0, now())`,
      [stranger],
    );

    const { drifts } = await verify();

    expect(drifts).toEqual([
      { walletId: stranger, field: 'wallet', expected: 'absent', actual: 'present' },
      { walletId: third, field: 'wallet', expected: 'present', actual: 'absent' },
    ]);
  });

  it('compares only the events up to the checkpoint', async () => {
    await appendWalletEvents(database.store, walletHistory(walletIdN(4), 3));

    const report = await verify();

    expect(report).toMatchObject({ checkpoint: BigInt(events.length), eventsFolded: events.length, driftCount: 0 });
  });
});
