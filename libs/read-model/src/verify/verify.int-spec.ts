import { encodeGroupEvent, groupStream } from '@wallet/domain';
import {
  appendWalletEvents,
  credited,
  groupRecorded,
  leg,
  opened,
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
  limitSet,
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

    expect(report).toEqual({
      checkpoint: BigInt(events.length),
      head: BigInt(events.length),
      failedPosition: null,
      eventsFolded: events.length,
      walletsCompared: 3,
      currenciesCompared: 1,
      driftCount: 0,
      drifts: [],
      totalsDrifts: [],
      groupDrifts: [],
    });
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

  describe('with overdraft limits, references and several currencies', () => {
    const [euro, yen] = [walletIdN(5), walletIdN(6)];
    const [paid, refunded] = [transactionIdN(euro, 1), transactionIdN(yen, 1)];
    const yenUnlimited = limitSet('unlimited', { walletId: yen, setAt: '2025-01-03T00:00:00.000Z' });
    const more = [
      opened({ walletId: euro, currency: 'EUR', overdraftLimit: 300n }),
      opened({ walletId: yen, currency: 'JPY' }),
      credited(paid, 500n, { walletId: euro, reference: 'inv-1' }),
      yenUnlimited,
      credited(refunded, 70n, { walletId: yen, reference: 'inv-1' }),
      credited(transactionIdN(yen, 2), 5n, { walletId: yen }),
    ];
    let checkpoint: bigint;

    const [referenced, unreferenced] = ['00000000-0000-7000-a000-000000000001', '00000000-0000-7000-a000-000000000002'];

    beforeEach(async () => {
      for (const [groupId, reference] of [[referenced, 'order-1'], [unreferenced, undefined]] as const) {
        const event = groupRecorded([leg(euro, transactionIdN(euro, 50), 'credit', 1n)], { groupId, reference });
        await database.store.append(groupStream(groupId), [{ ...encodeGroupEvent(event), metadata: { correlationId: 'spec', causationId: 'spec' } }], 'no_stream');
      }
      await appendWalletEvents(database.store, more);
      checkpoint = await catchUpToHead(new Projector({ pool: database.pool, store: database.store, snapshotEvery: 4, batchSizeMax: 2, log: () => undefined }), database.pool);
    });

    it('finds no drift in limits, references and the totals of every currency', async () => {
      expect(await verify()).toMatchObject({ walletsCompared: 5, currenciesCompared: 3, driftCount: 0 });
    });

    it("reports a group's reference changed, lost or given to another group", async () => {
      await database.pool.query(`update read_model.transaction_groups set reference = 'order-2' where id = $1`, [referenced]);
      await database.pool.query(`update read_model.transaction_groups set reference = 'order-3' where id = $1`, [unreferenced]);
      expect((await verify()).groupDrifts).toEqual([
        { groupId: referenced, field: 'reference', expected: 'order-1', actual: 'order-2' },
        { groupId: unreferenced, field: 'reference', expected: '(none)', actual: 'order-3' },
      ]);

      await database.pool.query('update read_model.transaction_groups set reference = null');
      const report = await verify();

      expect(report.groupDrifts).toEqual([{ groupId: referenced, field: 'reference', expected: 'order-1', actual: '(none)' }]);
      expect(report.driftCount).toBe(1);
    });

    it('reports a tampered overdraft limit, unlimited or not', async () => {
      await database.pool.query('update read_model.wallets set overdraft_limit = 301 where id = $1', [euro]);
      await database.pool.query('update read_model.wallets set overdraft_limit = 0 where id = $1', [yen]);

      const report = await verify();

      expect(report.drifts).toEqual([
        { walletId: euro, field: 'overdraftLimit', expected: '300', actual: '301' },
        { walletId: yen, field: 'overdraftLimit', expected: 'unlimited', actual: '0' },
      ]);
      expect(report.driftCount).toBe(2);
    });

    it('reports a reference changed, lost or given to another row', async () => {
      await database.pool.query(`update read_model.transactions set reference = 'inv-2' where id = $1`, [paid]);
      await database.pool.query('update read_model.transactions set reference = null where id = $1', [refunded]);
      await database.pool.query(`update read_model.transactions set reference = 'inv-1' where id = $1`, [transactionIdN(yen, 2)]);

      const { drifts } = await verify();

      expect(drifts.map((drift) => [drift.walletId, drift.field])).toEqual([
        [euro, 'referenceDigest'],
        [yen, 'referenceDigest'],
      ]);
    });

    it('reports a tampered total, current or in the history, at its position', async () => {
      await database.pool.query(`update read_model.currency_totals set ledger = ledger + 1, wallets = 2 where currency = 'EUR'`);
      const { rows } = await database.pool.query<{ position: string }>(
        `update read_model.currency_totals_history set pending_debits = 9
          where currency = 'JPY' and position = (select max(position) from read_model.currency_totals_history where currency = 'JPY') returning position`,
      );

      const report = await verify();

      expect(report.drifts).toEqual([]);
      expect(report.totalsDrifts).toEqual([
        { currency: 'EUR', row: 'current', position: checkpoint, field: 'wallets', expected: '1', actual: '2' },
        { currency: 'EUR', row: 'current', position: checkpoint, field: 'ledger', expected: '500', actual: '501' },
        { currency: 'JPY', row: 'history', position: BigInt(rows[0]!.position), field: 'pendingDebits', expected: '0', actual: '9' },
      ]);
      expect(report.driftCount).toBe(3);
    });

    it('reports the totals of a currency missing, and a history row that does not match the log at its position', async () => {
      await database.pool.query(`delete from read_model.currency_totals where currency = 'JPY'`);
      // EUR's first history row (its wallet opened, nothing credited yet), alone and moved to the checkpoint.
      await database.pool.query(
        `delete from read_model.currency_totals_history where currency = 'EUR' and position > (select min(position) from read_model.currency_totals_history where currency = 'EUR')`,
      );
      await database.pool.query(`update read_model.currency_totals_history set position = $1 where currency = 'EUR'`, [checkpoint.toString()]);

      const { totalsDrifts } = await verify();

      expect(totalsDrifts).toEqual([
        { currency: 'EUR', row: 'history', position: checkpoint, field: 'ledger', expected: '500', actual: '0' },
        { currency: 'JPY', row: 'current', position: checkpoint, field: 'totals', expected: 'present', actual: 'absent' },
      ]);
    });
  });
});
