import {
  appendWalletEvents,
  catchUpToHead,
  confirmed,
  createStoreTestDatabase,
  held,
  interleave,
  type StoreTestDatabase,
  transactionIdN,
  walletHistory,
  walletIdN,
} from '@wallet/testing';
import { Projector } from '../projector/projector';
import { verifyReadModel } from '../verify/verify';
import { archiveTransactions } from './archive';

const wallets = [walletIdN(1), walletIdN(2)];
const FAR_FUTURE = new Date('2100-01-01');

interface HistoryRow {
  id: string;
  status: string;
  position: string;
  updated_at: Date;
  archived: boolean;
}

describe('archiveTransactions', () => {
  let database: StoreTestDatabase;

  beforeEach(async () => {
    database = await createStoreTestDatabase(8);
    // 23 transactions with a snapshot every 4 events: the last few are after the last snapshot.
    await appendWalletEvents(database.store, interleave(...wallets.map((walletId) => walletHistory(walletId, 23))));
    await catchUpToHead(projector(), database.pool);
  });
  afterEach(() => database.drop());

  const projector = (): Projector => new Projector({ pool: database.pool, store: database.store, snapshotEvery: 4, batchSizeMax: 10, log: () => undefined });

  /** A page of a wallet's history as the API reads it: live and archived rows by created position. */
  async function historyPage(walletId: string): Promise<HistoryRow[]> {
    const { rows } = await database.pool.query<HistoryRow>(
      `select * from (select *, false as archived from read_model.transactions where wallet_id = $1
                      union all
                      select *, true as archived from read_model.transactions_archive where wallet_id = $1) history
        order by created_position limit 500`,
      [walletId],
    );
    return rows;
  }

  async function balances(): Promise<unknown[]> {
    return (await database.pool.query('select * from read_model.balances order by wallet_id')).rows;
  }

  /** The rows the archive may move, worked out from the rows and snapshots themselves. */
  async function movable(history: HistoryRow[], walletId: string, olderThan: Date): Promise<string[]> {
    const { rows } = await database.pool.query<{ covered: string }>('select max(position) as covered from read_model.transaction_snapshots where wallet_id = $1', [walletId]);
    const covered = BigInt(rows[0]!.covered);
    return history.filter((row) => row.status !== 'pending' && row.updated_at < olderThan && BigInt(row.position) <= covered).map((row) => row.id);
  }

  const withoutFlag = (history: HistoryRow[]): Omit<HistoryRow, 'archived'>[] => history.map(({ archived: _archived, ...row }) => row);
  const archivedIds = (history: HistoryRow[]): string[] => history.filter((row) => row.archived).map((row) => row.id);

  it('moves only final transactions older than the cutoff and covered by a snapshot; history and balances read the same', async () => {
    const before = await Promise.all(wallets.map(historyPage));
    const balancesBefore = await balances();
    const cutoff = before[0]![15]!.updated_at;
    const expected = await Promise.all(wallets.map((walletId, index) => movable(before[index]!, walletId, cutoff)));
    const laterToo = await movable(before[0]!, wallets[0]!, FAR_FUTURE);
    expect(expected[0]!.length).toBeGreaterThan(0);
    expect(laterToo.length).toBeGreaterThan(expected[0]!.length);

    const result = await archiveTransactions(database.pool, { olderThan: cutoff, batchSize: 4 });

    const after = await Promise.all(wallets.map(historyPage));
    expect(after.map(withoutFlag)).toEqual(before.map(withoutFlag));
    expect(after.map(archivedIds)).toEqual(expected);
    expect(result).toEqual({ moved: expected.flat().length, batches: Math.floor(expected.flat().length / 4) + 1, more: false });
    expect(await balances()).toEqual(balancesBefore);
  });

  it('never moves pending transactions nor those after the last snapshot', async () => {
    const before = await Promise.all(wallets.map(historyPage));

    await archiveTransactions(database.pool, { olderThan: FAR_FUTURE, batchSize: 1_000 });

    const stayed = (await Promise.all(wallets.map(historyPage))).flat().filter((row) => !row.archived);
    expect(stayed.filter((row) => row.status === 'pending')).toEqual(before.flat().filter((row) => row.status === 'pending'));
    const uncovered = stayed.filter((row) => row.status !== 'pending');
    expect(uncovered.length).toBeGreaterThan(0);
    const { rows } = await database.pool.query<{ n: number }>(
      `select count(*)::int as n from read_model.transactions t
        where t.status <> 'pending' and t.position <= (select max(position) from read_model.transaction_snapshots s where s.wallet_id = t.wallet_id)`,
    );
    expect(rows).toEqual([{ n: 0 }]);
  });

  it('stops after batchesMax batches and says more is left', async () => {
    expect(await archiveTransactions(database.pool, { olderThan: FAR_FUTURE, batchSize: 2, batchesMax: 3 })).toEqual({ moved: 6, batches: 3, more: true });
  });

  it('runs beside the projector settling holds without losing an update', async () => {
    const walletId = wallets[0]!;
    const holds = Array.from({ length: 60 }, (_, k) => transactionIdN(walletId, 500 + k));
    let settling = true;
    let moved = 0;
    const archiving = (async () => {
      while (settling) moved += (await archiveTransactions(database.pool, { olderThan: FAR_FUTURE, batchSize: 5 })).moved;
    })();
    for (const id of holds) {
      await appendWalletEvents(database.store, [held(id, 'credit', 1n, { walletId })]);
      await catchUpToHead(projector(), database.pool);
      await appendWalletEvents(database.store, [confirmed(id, 'credit', 1n, { walletId })]);
      await catchUpToHead(projector(), database.pool);
    }
    settling = false;
    await archiving;
    expect(moved).toBeGreaterThan(holds.length / 2);
    await archiveTransactions(database.pool, { olderThan: FAR_FUTURE });

    const confirmedHolds = (await historyPage(walletId)).filter((row) => holds.includes(row.id) && row.status === 'confirmed');
    expect(confirmedHolds).toHaveLength(holds.length);
    expect((await verifyReadModel({ pool: database.pool, store: database.store })).drifts).toEqual([]);
  });
});
