import {
  appendWalletEvents,
  catchUpToHead,
  T0,
  confirmed,
  createStoreTestDatabase,
  credited,
  debited,
  held,
  interleave,
  opened,
  rejected,
  reversed,
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

  it('moves confirmed and rejected transactions older than the cutoff and covered by a snapshot; history and balances read the same', async () => {
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

  it('keeps a confirmed transaction with some left to reverse until reversibleOlderThan; one reversed in full, a reversal and a rejected hold move', async () => {
    const walletId = walletIdN(3);
    const id = (k: number): string => transactionIdN(walletId, k);
    const [untouched, fullyReversed, partlyReversed, rejectedHold] = [id(1), id(2), id(3), id(4)];
    await appendWalletEvents(database.store, [
      opened({ walletId }),
      credited(untouched, 100n, { walletId }),
      debited(fullyReversed, 30n, { walletId }),
      debited(partlyReversed, 40n, { walletId }),
      held(rejectedHold, 'debit', 5n, { walletId }),
      rejected(rejectedHold, 'debit', 5n, { walletId }),
      reversed(id(5), fullyReversed, 'credit', 20n, { walletId }),
      reversed(id(6), fullyReversed, 'credit', 10n, { walletId }),
      reversed(id(7), partlyReversed, 'credit', 10n, { walletId }),
      // Enough events after the last change for a snapshot to cover every row.
      ...[8, 9, 10, 11].map((k) => credited(id(k), 1n, { walletId })),
    ]);
    await catchUpToHead(projector(), database.pool);
    const archivedOf = async (): Promise<string[]> => archivedIds(await historyPage(walletId)).sort();

    await archiveTransactions(database.pool, { olderThan: FAR_FUTURE, reversibleOlderThan: T0 });

    expect(await archivedOf()).toEqual([fullyReversed, rejectedHold, id(5), id(6), id(7)].sort());
    // The other wallets' confirmed transactions were never reversed: only their rejected holds moved.
    const others = (await Promise.all(wallets.map(historyPage))).flat();
    expect(new Set(others.filter((row) => row.archived).map((row) => row.status))).toEqual(new Set(['rejected']));

    await archiveTransactions(database.pool, { olderThan: FAR_FUTURE, reversibleOlderThan: FAR_FUTURE });

    expect(await archivedOf()).toEqual(Array.from({ length: 11 }, (_, k) => id(k + 1)).sort());
    expect((await verifyReadModel({ pool: database.pool, store: database.store })).drifts).toEqual([]);
  });

  it('runs beside the projector reversing transactions as it moves them, without losing a reversal', async () => {
    const walletId = wallets[0]!;
    // The history's credits (every fifth transaction), each reversed a little at a time.
    const credits = [0, 5, 10, 15, 20].map((k) => transactionIdN(walletId, k));
    let reversing = true;
    const archiving = (async () => {
      while (reversing) await archiveTransactions(database.pool, { olderThan: FAR_FUTURE, batchSize: 2 });
    })();
    for (let round = 0; round < 8; round += 1) {
      const reversals = credits.map((original, index) => reversed(transactionIdN(walletId, 600 + round * 10 + index), original, 'debit', 1n, { walletId }));
      await appendWalletEvents(database.store, reversals);
      await catchUpToHead(projector(), database.pool);
    }
    reversing = false;
    await archiving;

    const originals = (await historyPage(walletId)).filter((row) => credits.includes(row.id));
    expect(originals.filter((row) => row.archived).length).toBeGreaterThan(0);
    const { rows } = await database.pool.query<{ reversed_amount: string }>(
      `select reversed_amount from read_model.transactions where id = any($1::uuid[]) union all
       select reversed_amount from read_model.transactions_archive where id = any($1::uuid[])`,
      [credits],
    );
    expect(rows.map((row) => row.reversed_amount)).toEqual(credits.map(() => '8'));
    expect((await verifyReadModel({ pool: database.pool, store: database.store })).drifts).toEqual([]);
  });

  it('holds off a projector batch while it moves: a reversal of a row being moved waits, then lands on the archive row', async () => {
    const original = transactionIdN(wallets[0]!, 0);
    // In the log before the move begins, so the projector reads it while the move is in flight.
    await appendWalletEvents(database.store, [reversed(transactionIdN(wallets[0]!, 700), original, 'debit', 3n, { walletId: wallets[0]! })]);
    let projecting: Promise<bigint> | undefined;
    let waits: string[] = [];
    const projectMeanwhile = async (): Promise<void> => {
      if (projecting) return;
      projecting = catchUpToHead(projector(), database.pool);
      // Long enough for the projector's batch to reach the moved row, were it not held off.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const { rows } = await database.pool.query<{ wait_event: string }>(
        `select wait_event from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
      );
      waits = rows.map((row) => row.wait_event);
    };

    await archiveTransactions(database.pool, { olderThan: FAR_FUTURE, beforeCommit: projectMeanwhile });
    await projecting;

    // Waiting on the moved row's lock, a batch would find the row gone and the archive row not yet there.
    expect(waits).not.toContain('transactionid');

    const { rows } = await database.pool.query('select reversed_amount from read_model.transactions_archive where id = $1', [original]);
    expect(rows).toEqual([{ reversed_amount: '3' }]);
    expect((await verifyReadModel({ pool: database.pool, store: database.store })).drifts).toEqual([]);
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
