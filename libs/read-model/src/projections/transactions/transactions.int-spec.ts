import { type TransactionSnapshot, type WalletEvent, changedTransaction, recordedTransaction, transactionChangeOf } from '@wallet/domain';
import {
  T0,
  appendWalletEvents,
  captured,
  catchUpToHead,
  confirmed,
  createStoreTestDatabase,
  credited,
  debited,
  held,
  increased,
  opened,
  rejected,
  reversed,
  type StoreTestDatabase,
  transactionIdN,
  walletIdN,
} from '@wallet/testing';
import { archiveTransactions } from '../../archive/archive';
import { Projector } from '../../projector/projector';
import { findTransaction } from '../../queries/transactions.queries';
import { verifyReadModel } from '../../verify/verify';

const W = walletIdN(1);
const tx = (k: number): string => transactionIdN(W, k);
const HOUR_MS = 3_600_000;
const at = (hours: number): string => new Date(T0.getTime() + hours * HOUR_MS).toISOString();
const FAR_FUTURE = new Date('2100-01-01');

/** How a lifecycle's events reach the projector: cut into batches after the given event counts. */
const BATCHINGS = [
  ['all in one batch', []],
  ['one event per batch', [1, 2, 3, 4, 5, 6, 7, 8]],
  ['the recordings in one batch, every change in the next', [3]],
  ['the recordings, then one batch per change', [3, 4, 5, 6, 7]],
] as const;

/** The transactions as the domain folds them, with the positions the read model keeps (the log starts at 1). */
interface Folded {
  readonly snapshot: TransactionSnapshot;
  readonly position: bigint;
  readonly createdPosition: bigint;
}

function foldTransactions(events: readonly WalletEvent[]): Map<string, Folded> {
  const folded = new Map<string, Folded>();
  for (const [index, event] of events.entries()) {
    const position = BigInt(index + 1);
    if (event.type === 'FundsCredited' || event.type === 'FundsDebited' || event.type === 'HoldPlaced' || event.type === 'TransactionReversed') {
      folded.set(event.data.transactionId, { snapshot: recordedTransaction(event), position, createdPosition: position });
    }
    const change = transactionChangeOf(event);
    const before = change && folded.get(change.transactionId);
    if (change && before) folded.set(change.transactionId, { ...before, snapshot: changedTransaction(before.snapshot, change), position });
  }
  return folded;
}

/** Given a wallet's events in batches, then rows: after each batch every row is the domain's fold of the events so far. */
describe('The transactions projection through the payment lifecycle', () => {
  let database: StoreTestDatabase;
  /** A snapshot after every event covers every row, so the archive may move any final one. */
  let snapshotEvery: number;

  beforeEach(async () => {
    database = await createStoreTestDatabase(4);
    snapshotEvery = 100;
  });
  afterEach(() => database.drop());

  const project = (): Promise<bigint> =>
    catchUpToHead(new Projector({ pool: database.pool, store: database.store, snapshotEvery, batchSizeMax: 1_000, log: () => undefined }), database.pool);

  /**
   * Appends and projects the events cut after each count in `cuts`, checking every row against
   * the fold after each batch. The first `appended` events are in the log already.
   */
  async function given(events: readonly WalletEvent[], cuts: readonly number[] = [], appended = 0): Promise<void> {
    const bounds = [appended, ...cuts.filter((cut) => cut > appended && cut < events.length), events.length];
    for (let index = 1; index < bounds.length; index += 1) {
      await appendWalletEvents(database.store, events.slice(bounds[index - 1], bounds[index]));
      await project();
      await expectRowsAsFolded(events.slice(0, bounds[index]));
    }
  }

  async function expectRowsAsFolded(events: readonly WalletEvent[]): Promise<void> {
    for (const [id, { snapshot, position, createdPosition }] of foldTransactions(events)) {
      const { archived: _archived, ...record } = (await findTransaction(database.pool, W, id))!;
      expect(record).toEqual({ ...snapshot, position, createdPosition });
    }
  }

  async function row(id: string): Promise<Record<string, unknown>> {
    const { rows } = await database.pool.query(
      `select type, amount, held_amount, captured_amount, released_amount, reversed_amount, reversal_of, status, confirm_reject_timestamp, reject_reason,
              position, updated_at, false as archived from read_model.transactions where id = $1
       union all
       select type, amount, held_amount, captured_amount, released_amount, reversed_amount, reversal_of, status, confirm_reject_timestamp, reject_reason,
              position, updated_at, true as archived from read_model.transactions_archive where id = $1`,
      [id],
    );
    expect(rows).toHaveLength(1);
    return rows[0];
  }

  async function expectNoDrift(): Promise<void> {
    expect((await verifyReadModel({ pool: database.pool, store: database.store })).drifts).toEqual([]);
  }

  const openedWith1000 = [opened({ walletId: W, openedAt: at(0) }), credited(tx(0), 1_000n, { walletId: W, recordedAt: at(0) })];

  it.each(BATCHINGS)('a debit hold increased, captured in part, captured finally and reversed in part, %s', async (_case, cuts) => {
    await given(
      [
        ...openedWith1000,
        held(tx(1), 'debit', 100n, { walletId: W, recordedAt: at(1) }),
        increased(tx(1), 'debit', 20n, { walletId: W, increasedAt: at(2) }),
        captured(tx(1), 'debit', 30n, { walletId: W, capturedAt: at(3) }),
        captured(tx(1), 'debit', 40n, { walletId: W, releasedMinor: 50n, final: true, capturedAt: at(4) }),
        reversed(tx(2), tx(1), 'credit', 25n, { walletId: W, recordedAt: at(5), description: 'refund' }),
      ],
      cuts,
    );

    const amounts = { type: 'debit', amount: '120', held_amount: '0', captured_amount: '70', released_amount: '50', reversed_amount: '25', reversal_of: null };
    expect(await row(tx(1))).toMatchObject({ ...amounts, status: 'confirmed', confirm_reject_timestamp: new Date(at(4)), position: '7', updated_at: new Date(at(5)) });
    const reversal = { type: 'credit', amount: '25', held_amount: '0', captured_amount: '25', released_amount: '0', reversed_amount: '0', reversal_of: tx(1) };
    expect(await row(tx(2))).toMatchObject({ ...reversal, status: 'confirmed', position: '7', archived: false });
    const { rows } = await database.pool.query('select ledger, pending_debits, transaction_count from read_model.balances');
    expect(rows).toEqual([{ ledger: (1_000 - 70 + 25).toString(), pending_debits: '0', transaction_count: '3' }]);
    await expectNoDrift();
  });

  it.each(BATCHINGS)('a credit hold captured in part, then rejected: confirmed with the reason, the rest released, %s', async (_case, cuts) => {
    await given(
      [
        ...openedWith1000,
        held(tx(1), 'credit', 100n, { walletId: W, recordedAt: at(1) }),
        captured(tx(1), 'credit', 30n, { walletId: W, capturedAt: at(2) }),
        rejected(tx(1), 'credit', 70n, { walletId: W, reason: 'cancelled', rejectedAt: at(3) }),
      ],
      cuts,
    );

    expect(await row(tx(1))).toMatchObject({
      amount: '100',
      held_amount: '0',
      captured_amount: '30',
      released_amount: '70',
      status: 'confirmed',
      reject_reason: 'cancelled',
      confirm_reject_timestamp: new Date(at(3)),
    });
    await expectNoDrift();
  });

  it.each(BATCHINGS)('a hold rejected with nothing captured, and one confirmed after an increase, %s', async (_case, cuts) => {
    await given(
      [
        ...openedWith1000,
        held(tx(1), 'debit', 100n, { walletId: W, recordedAt: at(1) }),
        held(tx(2), 'debit', 100n, { walletId: W, recordedAt: at(1) }),
        rejected(tx(1), 'debit', 100n, { walletId: W, reason: null, rejectedAt: at(2) }),
        increased(tx(2), 'debit', 10n, { walletId: W, increasedAt: at(2) }),
        confirmed(tx(2), 'debit', 110n, { walletId: W, confirmedAt: at(3) }),
      ],
      cuts,
    );

    expect(await row(tx(1))).toMatchObject({ amount: '100', held_amount: '0', captured_amount: '0', released_amount: '100', status: 'rejected' });
    expect(await row(tx(2))).toMatchObject({ amount: '110', held_amount: '0', captured_amount: '110', released_amount: '0', status: 'confirmed' });
    await expectNoDrift();
  });

  it.each(BATCHINGS)('a debit reversed in three parts up to the whole of it, %s', async (_case, cuts) => {
    await given(
      [
        ...openedWith1000,
        debited(tx(1), 100n, { walletId: W, recordedAt: at(1) }),
        reversed(tx(2), tx(1), 'credit', 30n, { walletId: W, recordedAt: at(2) }),
        reversed(tx(3), tx(1), 'credit', 50n, { walletId: W, recordedAt: at(3) }),
        reversed(tx(4), tx(1), 'credit', 20n, { walletId: W, recordedAt: at(4) }),
      ],
      cuts,
    );

    expect(await row(tx(1))).toMatchObject({ amount: '100', captured_amount: '100', reversed_amount: '100', status: 'confirmed', position: '6', updated_at: new Date(at(4)) });
    await expectNoDrift();
  });

  it('a reversal of an archived original changes the archive row; one batch changes a live row and an archived one', async () => {
    snapshotEvery = 1;
    const start = [...openedWith1000, debited(tx(1), 100n, { walletId: W, recordedAt: at(1) }), held(tx(2), 'debit', 50n, { walletId: W, recordedAt: at(1) })];
    await given(start);
    const { moved } = await archiveTransactions(database.pool, { olderThan: FAR_FUTURE, reversibleOlderThan: FAR_FUTURE });
    expect(moved).toBe(2);
    expect(await row(tx(1))).toMatchObject({ archived: true, reversed_amount: '0' });

    const later = [reversed(tx(3), tx(1), 'credit', 40n, { walletId: W, recordedAt: at(2) }), captured(tx(2), 'debit', 20n, { walletId: W, capturedAt: at(2) })];
    await given([...start, ...later], [], start.length);

    expect(await row(tx(1))).toMatchObject({ archived: true, captured_amount: '100', reversed_amount: '40', position: '5', updated_at: new Date(at(2)) });
    expect(await row(tx(2))).toMatchObject({ archived: false, held_amount: '30', captured_amount: '20', status: 'pending' });
    expect(await row(tx(3))).toMatchObject({ archived: false, reversal_of: tx(1), amount: '40' });
    await expectNoDrift();
  });

  it('halts on a change whose row is in neither table: the read model has drifted', async () => {
    await given([...openedWith1000, debited(tx(1), 100n, { walletId: W, recordedAt: at(1) })]);
    await database.pool.query('delete from read_model.transactions where id = $1', [tx(1)]);
    await appendWalletEvents(database.store, [reversed(tx(2), tx(1), 'credit', 40n, { walletId: W, recordedAt: at(2) })]);

    await expect(project()).rejects.toThrow(/Changed 0 of 1 earlier transactions: the read model has drifted/);
    expect(await findTransaction(database.pool, W, tx(2))).toBeUndefined();
  });

  it.each([
    ['an increase', increased(tx(1), 'debit', 20n, { walletId: W, increasedAt: at(2) })],
    ['a capture that is not final', captured(tx(1), 'debit', 30n, { walletId: W, capturedAt: at(2) })],
    ['a confirm', confirmed(tx(1), 'debit', 100n, { walletId: W, confirmedAt: at(2) })],
  ])('halts on %s of a hold whose row is already confirmed: the read model has drifted', async (_case, change) => {
    await given([...openedWith1000, held(tx(1), 'debit', 100n, { walletId: W, recordedAt: at(1) })]);
    await database.pool.query(`update read_model.transactions set status = 'confirmed' where id = $1`, [tx(1)]);
    await appendWalletEvents(database.store, [change]);

    await expect(project()).rejects.toThrow(/Changed 0 of 1 earlier transactions: the read model has drifted/);
    expect(await row(tx(1))).toMatchObject({ amount: '100', held_amount: '100', captured_amount: '0', status: 'confirmed', position: '3' });
  });

  it('in a batch with a reversal of a confirmed row and a capture of a hold whose row is confirmed already, applies the reversal and halts at the capture', async () => {
    await given([...openedWith1000, held(tx(1), 'debit', 100n, { walletId: W, recordedAt: at(1) }), debited(tx(2), 50n, { walletId: W, recordedAt: at(1) })]);
    await database.pool.query(`update read_model.transactions set status = 'confirmed' where id = $1`, [tx(1)]);
    await appendWalletEvents(database.store, [
      reversed(tx(3), tx(2), 'credit', 20n, { walletId: W, recordedAt: at(2) }),
      captured(tx(1), 'debit', 30n, { walletId: W, capturedAt: at(2) }),
    ]);

    // The batch fails as a whole, then event by event: the reversal goes through, the capture halts.
    await expect(project()).rejects.toThrow(/halted at position 6: Changed 0 of 1 earlier transactions: the read model has drifted/);
    expect(await row(tx(1))).toMatchObject({ held_amount: '100', captured_amount: '0', status: 'confirmed', position: '3' });
    expect(await row(tx(2))).toMatchObject({ captured_amount: '50', reversed_amount: '20', status: 'confirmed', position: '5' });
    expect(await row(tx(3))).toMatchObject({ reversal_of: tx(2), amount: '20' });
  });

  it('halts on a reversal whose original row is not confirmed: the read model has drifted', async () => {
    await given([...openedWith1000, debited(tx(1), 100n, { walletId: W, recordedAt: at(1) })]);
    await database.pool.query(`update read_model.transactions set status = 'pending' where id = $1`, [tx(1)]);
    await appendWalletEvents(database.store, [reversed(tx(2), tx(1), 'credit', 40n, { walletId: W, recordedAt: at(2) })]);

    await expect(project()).rejects.toThrow(/Changed 0 of 1 earlier transactions: the read model has drifted/);
    expect(await row(tx(1))).toMatchObject({ reversed_amount: '0', status: 'pending' });
  });
});
