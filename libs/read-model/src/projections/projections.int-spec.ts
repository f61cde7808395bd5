import type { WalletEvent } from '@wallet/domain';
import {
  T0,
  T1,
  T2,
  appendWalletEvents,
  catchUpToHead,
  confirmed,
  createStoreTestDatabase,
  credited,
  debited,
  held,
  ms,
  opened,
  ownerAdded,
  rejected,
  type StoreTestDatabase,
  walletIdN,
  transactionIdN,
} from '@wallet/testing';
import { Projector } from '../projector/projector';

const walletId = walletIdN(1);
const tx = (k: number): string => transactionIdN(walletId, k);
const DAY_MS = 86_400_000;
/** A hold settled in the batch that placed it and one settled in a later batch take two paths. */
const SETTLED_IN = [
  ['in the batch that placed it', 1_000],
  ['in a later batch', 1],
] as const;

/** Given events, then rows: each spec projects a few events into a database of its own. */
describe('Read model projections', () => {
  let database: StoreTestDatabase;

  beforeEach(async () => (database = await createStoreTestDatabase(4)));
  afterEach(() => database.drop());

  /** Appends the events and projects them in one batch, or one batch per event. */
  async function given(events: WalletEvent[], batchSizeMax = 1_000, snapshotEvery = 100): Promise<void> {
    await appendWalletEvents(database.store, events);
    await catchUpToHead(new Projector({ pool: database.pool, store: database.store, snapshotEvery, batchSizeMax, log: () => undefined }), database.pool);
  }

  async function rows(table: string, orderBy: string): Promise<Record<string, unknown>[]> {
    return (await database.pool.query(`select * from read_model.${table} order by ${orderBy}`)).rows;
  }

  const balance = (overrides: Record<string, unknown>): Record<string, unknown> => ({
    wallet_id: walletId,
    ledger: '0',
    pending_debits: '0',
    pending_credits: '0',
    transaction_count: '0',
    revision: '0',
    position: '1',
    events_since_snapshot: 0,
    last_snapshot_at: T0,
    ...overrides,
  });

  /** A row whose amount sits wholly in the column of its status, unless the overrides say otherwise. */
  const transaction = (overrides: Record<string, unknown>): Record<string, unknown> => ({
    wallet_id: walletId,
    description: null,
    metadata: {},
    group_id: null,
    hold_timestamp: null,
    reject_reason: null,
    expires_at: null,
    created_at: T1,
    held_amount: overrides['status'] === 'pending' ? overrides['amount'] : '0',
    captured_amount: overrides['status'] === 'confirmed' ? overrides['amount'] : '0',
    released_amount: overrides['status'] === 'rejected' ? overrides['amount'] : '0',
    reversed_amount: '0',
    reversal_of: null,
    reference: null,
    ...overrides,
  });

  const openedAtT0 = opened({ walletId, walletType: 'savings', currency: 'EUR', owners: [{ ownerType: 'user', ownerRef: 'u-1' }, { ownerType: 'org', ownerRef: 'o-1' }], metadata: { tier: 'gold', limit: 3 } });

  it('WalletOpened: the wallet, its owners, a zero balance and a first snapshot', async () => {
    await given([openedAtT0]);

    expect(await rows('wallets', 'id')).toEqual([
      { id: walletId, type: 'savings', currency: 'EUR', metadata: { tier: 'gold', limit: 3 }, overdraft_limit: '0', created_at: T0, updated_at: T0, version: 1, position: '1' },
    ]);
    expect(await rows('wallet_owners', 'owner_type, owner_ref')).toEqual([
      { wallet_id: walletId, owner_type: 'org', owner_ref: 'o-1', created_at: T0 },
      { wallet_id: walletId, owner_type: 'user', owner_ref: 'u-1', created_at: T0 },
    ]);
    expect(await rows('balances', 'wallet_id')).toEqual([balance({})]);
    expect(await rows('transactions', 'id')).toEqual([]);
    expect(await rows('transaction_snapshots', 'id')).toEqual([
      { id: expect.stringMatching(/^[0-9a-f-]{36}$/), wallet_id: walletId, position: '1', revision: '0', snapshot_date: T0, ledger: '0', pending_debits: '0', pending_credits: '0', transaction_count: '0', is_ledger_entry: true },
    ]);
  });

  it('WalletOwnerAdded: one more owner (an owner added twice stays one row), the wallet touched', async () => {
    await given([openedAtT0, ownerAdded('u-2', { walletId, addedAt: T1.toISOString() }), ownerAdded('u-2', { walletId, addedAt: T2.toISOString() })]);

    expect(await rows('wallet_owners', 'owner_type, owner_ref')).toEqual([
      { wallet_id: walletId, owner_type: 'org', owner_ref: 'o-1', created_at: T0 },
      { wallet_id: walletId, owner_type: 'user', owner_ref: 'u-1', created_at: T0 },
      { wallet_id: walletId, owner_type: 'user', owner_ref: 'u-2', created_at: T1 },
    ]);
    expect(await rows('wallets', 'id')).toEqual([expect.objectContaining({ updated_at: T2, version: 3, position: '3' })]);
    expect(await rows('balances', 'wallet_id')).toEqual([balance({ revision: '2', position: '3', events_since_snapshot: 2 })]);
    expect(await rows('transaction_snapshots', 'id')).toHaveLength(1);
  });

  it('FundsCredited: a confirmed credit row and a higher ledger', async () => {
    await given([openedAtT0, credited(tx(1), 1_000n, { walletId, recordedAt: T1.toISOString(), description: 'salary', metadata: { ref: 'a' } })]);

    expect(await rows('transactions', 'id')).toEqual([
      transaction({ id: tx(1), type: 'credit', amount: '1000', status: 'confirmed', description: 'salary', metadata: { ref: 'a' }, confirm_reject_timestamp: T1, position: '2', created_position: '2', updated_at: T1 }),
    ]);
    expect(await rows('balances', 'wallet_id')).toEqual([balance({ ledger: '1000', transaction_count: '1', revision: '1', position: '2', events_since_snapshot: 1 })]);
    expect(await rows('wallets', 'id')).toEqual([expect.objectContaining({ updated_at: T1, version: 2, position: '2' })]);
  });

  it('FundsDebited: a confirmed debit row in its group and a lower ledger', async () => {
    const groupId = tx(900);
    await given([openedAtT0, credited(tx(1), 1_000n, { walletId }), debited(tx(2), 300n, { walletId, recordedAt: T1.toISOString(), groupId })]);

    expect((await rows('transactions', 'created_position'))[1]).toEqual(
      transaction({ id: tx(2), type: 'debit', amount: '300', status: 'confirmed', group_id: groupId, confirm_reject_timestamp: T1, position: '3', created_position: '3', updated_at: T1 }),
    );
    expect(await rows('balances', 'wallet_id')).toEqual([balance({ ledger: '700', transaction_count: '2', revision: '2', position: '3', events_since_snapshot: 2 })]);
  });

  it('HoldPlaced (debit, with expiresAt): a pending row that reserves funds', async () => {
    const expiresAt = ms(T1, 60_000);
    await given([openedAtT0, credited(tx(1), 1_000n, { walletId }), held(tx(2), 'debit', 400n, { walletId, recordedAt: T1.toISOString(), expiresAt: expiresAt.toISOString() })]);

    expect((await rows('transactions', 'created_position'))[1]).toEqual(
      transaction({ id: tx(2), type: 'debit', amount: '400', status: 'pending', hold_timestamp: T1, confirm_reject_timestamp: null, expires_at: expiresAt, position: '3', created_position: '3', updated_at: T1 }),
    );
    expect(await rows('balances', 'wallet_id')).toEqual([balance({ ledger: '1000', pending_debits: '400', transaction_count: '2', revision: '2', position: '3', events_since_snapshot: 2 })]);
  });

  it('HoldPlaced (credit): a pending row counted in pending credits, not in the ledger', async () => {
    await given([openedAtT0, held(tx(1), 'credit', 250n, { walletId, recordedAt: T1.toISOString() })]);

    expect(await rows('transactions', 'id')).toEqual([
      transaction({ id: tx(1), type: 'credit', amount: '250', status: 'pending', hold_timestamp: T1, confirm_reject_timestamp: null, position: '2', created_position: '2', updated_at: T1 }),
    ]);
    expect(await rows('balances', 'wallet_id')).toEqual([balance({ pending_credits: '250', transaction_count: '1', revision: '1', position: '2', events_since_snapshot: 1 })]);
  });

  it.each(SETTLED_IN)('HoldConfirmed %s: the row confirmed at its own position, the amount moved from pending to the ledger', async (_case, batchSizeMax) => {
    await given([openedAtT0, held(tx(1), 'credit', 250n, { walletId, recordedAt: T1.toISOString() }), confirmed(tx(1), 'credit', 250n, { walletId, confirmedAt: T2.toISOString() })], batchSizeMax);

    expect(await rows('transactions', 'id')).toEqual([
      transaction({ id: tx(1), type: 'credit', amount: '250', status: 'confirmed', hold_timestamp: T1, confirm_reject_timestamp: T2, position: '3', created_position: '2', updated_at: T2 }),
    ]);
    expect(await rows('balances', 'wallet_id')).toEqual([balance({ ledger: '250', transaction_count: '1', revision: '2', position: '3', events_since_snapshot: 2 })]);
  });

  it.each(SETTLED_IN)('HoldRejected %s: the row rejected with its reason, the reservation released', async (_case, batchSizeMax) => {
    await given(
      [openedAtT0, credited(tx(1), 1_000n, { walletId }), held(tx(2), 'debit', 400n, { walletId, recordedAt: T1.toISOString() }), rejected(tx(2), 'debit', 400n, { walletId, reason: 'fraud check', rejectedAt: T2.toISOString() })],
      batchSizeMax,
    );

    expect((await rows('transactions', 'created_position'))[1]).toEqual(
      transaction({ id: tx(2), type: 'debit', amount: '400', status: 'rejected', hold_timestamp: T1, confirm_reject_timestamp: T2, reject_reason: 'fraud check', position: '4', created_position: '3', updated_at: T2 }),
    );
    expect(await rows('balances', 'wallet_id')).toEqual([balance({ ledger: '1000', transaction_count: '2', revision: '3', position: '4', events_since_snapshot: 3 })]);
  });

  it('snapshots: after every SNAPSHOT_EVERY events of a wallet and on its first event of a new day', async () => {
    const nextDay = ms(T0, DAY_MS);
    await given(
      [
        openedAtT0,
        credited(tx(1), 10n, { walletId }),
        held(tx(2), 'debit', 3n, { walletId }),
        credited(tx(3), 5n, { walletId }), // third event since the first snapshot
        held(tx(4), 'credit', 7n, { walletId, recordedAt: nextDay.toISOString() }), // a new day
      ],
      2,
      3,
    );

    const snapshots = await rows('transaction_snapshots', 'position');
    expect(snapshots.map(({ id: _id, ...snapshot }) => snapshot)).toEqual([
      { wallet_id: walletId, position: '1', revision: '0', snapshot_date: T0, ledger: '0', pending_debits: '0', pending_credits: '0', transaction_count: '0', is_ledger_entry: true },
      { wallet_id: walletId, position: '4', revision: '3', snapshot_date: T0, ledger: '15', pending_debits: '3', pending_credits: '0', transaction_count: '3', is_ledger_entry: true },
      { wallet_id: walletId, position: '5', revision: '4', snapshot_date: nextDay, ledger: '15', pending_debits: '3', pending_credits: '7', transaction_count: '4', is_ledger_entry: true },
    ]);
    expect(await rows('balances', 'wallet_id')).toEqual([
      balance({ ledger: '15', pending_debits: '3', pending_credits: '7', transaction_count: '4', revision: '4', position: '5', events_since_snapshot: 0, last_snapshot_at: nextDay }),
    ]);
  });
});
