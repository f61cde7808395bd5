import { appendWalletEvents, catchUpToHead, createStoreTestDatabase, interleave, type StoreTestDatabase, walletHistory, walletIdN } from '@wallet/testing';
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
    await database.pool.query('delete from read_model.transactions where id = (select id from read_model.transactions where wallet_id = $1 limit 1)', [third]);

    const { drifts } = await verify();

    expect(drifts).toEqual([
      { walletId: first, field: 'pendingDebits', expected: '10', actual: '0' },
      { walletId: first, field: 'pendingCredits', expected: '0', actual: '9' },
      { walletId: first, field: 'transactionCount', expected: '12', actual: '1' },
      { walletId: third, field: 'transactionRows', expected: '7', actual: '6' },
    ]);
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
