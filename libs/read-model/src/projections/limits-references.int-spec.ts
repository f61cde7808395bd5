import { type OverdraftLimit, type OverdraftLimitSet, type WalletEvent, encodeGroupEvent, groupStream } from '@wallet/domain';
import {
  T1,
  appendWalletEvents,
  catchUpToHead,
  createStoreTestDatabase,
  credited,
  groupRecorded,
  held,
  leg,
  opened,
  reversed,
  type StoreTestDatabase,
  transactionIdN,
  walletIdN,
  limitSet,
} from '@wallet/testing';
import { archiveTransactions } from '../archive/archive';
import { Projector } from '../projector/projector';
import { findGroup } from '../queries/groups.queries';
import { findTransaction } from '../queries/transactions.queries';
import { findWallet } from '../queries/wallets.queries';

const [plain, limited, system, later] = [walletIdN(1), walletIdN(2), walletIdN(3), walletIdN(4)];
const groupId = '00000000-0000-7000-a000-000000000001';

/** The limit of `walletId` set to `overdraftLimit`, at T1. */
const limitOf = (walletId: string, overdraftLimit: OverdraftLimit): OverdraftLimitSet => limitSet(overdraftLimit, { walletId, setAt: T1.toISOString() });

/** Given events, then rows: overdraft limits of wallets and references of transactions and groups. */
describe('Read model projections of overdraft limits and references', () => {
  let database: StoreTestDatabase;

  beforeEach(async () => (database = await createStoreTestDatabase(4)));
  afterEach(() => database.drop());

  /** Appends the events and projects them in one batch, or one batch per event; a snapshot every `snapshotEvery` events of a wallet. */
  async function given(events: WalletEvent[], batchSizeMax = 1_000, snapshotEvery = 100): Promise<void> {
    await appendWalletEvents(database.store, events);
    await catchUpToHead(new Projector({ pool: database.pool, store: database.store, snapshotEvery, batchSizeMax, log: () => undefined }), database.pool);
  }

  async function limits(): Promise<Record<string, string | null>> {
    const { rows } = await database.pool.query<{ id: string; overdraft_limit: string | null }>('select id, overdraft_limit from read_model.wallets');
    return Object.fromEntries(rows.map((row) => [row.id, row.overdraft_limit]));
  }

  const openings = [
    opened({ walletId: plain }),
    opened({ walletId: limited, overdraftLimit: 500n }),
    opened({ walletId: system, overdraftLimit: 'unlimited' }),
  ];

  it('WalletOpened: the limit it opens with, 0 when it names none, NULL for unlimited', async () => {
    await given(openings);

    expect(await limits()).toEqual({ [plain]: '0', [limited]: '500', [system]: null });
    expect((await findWallet(database.pool, plain))!.overdraftLimit).toBe(0n);
    expect((await findWallet(database.pool, limited))!.overdraftLimit).toBe(500n);
    expect((await findWallet(database.pool, system))!.overdraftLimit).toBe('unlimited');
  });

  it.each([
    ['in the batch that opened the wallets', 1_000],
    ['one event per batch', 1],
  ])('OverdraftLimitSet %s: the last limit set, stamped like every event of the wallet', async (_, batchSizeMax) => {
    const changes = [limitOf(plain, 'unlimited'), limitOf(limited, 20n), limitOf(limited, 30n), limitOf(system, 0n), limitOf(later, 7n)];
    await given([...openings, opened({ walletId: later }), ...changes], batchSizeMax);

    expect(await limits()).toEqual({ [plain]: null, [limited]: '30', [system]: '0', [later]: '7' });
    expect(await findWallet(database.pool, limited)).toMatchObject({ overdraftLimit: 30n, version: 3, position: 7n, updatedAt: T1.toISOString() });
  });

  it('OverdraftLimitSet in a later batch changes only the limit of its wallet', async () => {
    await given(openings);
    await given([limitOf(limited, 'unlimited')]);

    expect(await limits()).toEqual({ [plain]: '0', [limited]: null, [system]: null });
    // An event of the wallet like any other for its balance row, which it leaves at zero.
    const { rows } = await database.pool.query('select ledger, pending_debits, pending_credits, revision, position, events_since_snapshot from read_model.balances where wallet_id = $1', [limited]);
    expect(rows).toEqual([{ ledger: '0', pending_debits: '0', pending_credits: '0', revision: '1', position: '4', events_since_snapshot: 1 }]);
  });

  it('keeps the reference of credits, holds and reversals, none when the event names none, also once archived', async () => {
    // A snapshot after every event, so that the archive may move every final transaction.
    const [credit, hold, reversal, bare] = [1, 2, 3, 4].map((k) => transactionIdN(plain, k));
    await given([
      opened({ walletId: plain }),
      credited(credit!, 100n, { walletId: plain, reference: 'inv-1' }),
      held(hold!, 'debit', 10n, { walletId: plain, reference: 'auth-7' }),
      reversed(reversal!, credit!, 'debit', 40n, { walletId: plain, reference: 'refund-1' }),
      credited(bare!, 1n, { walletId: plain }),
    ], 1_000, 1);

    const references = async () => Promise.all([credit, hold, reversal, bare].map(async (id) => (await findTransaction(database.pool, plain, id!))!.reference));
    expect(await references()).toEqual(['inv-1', 'auth-7', 'refund-1', null]);
    expect((await archiveTransactions(database.pool, { olderThan: new Date('2100-01-01') })).moved).toBe(3);
    expect((await findTransaction(database.pool, plain, credit!))!.archived).toBe(true);
    expect(await references()).toEqual(['inv-1', 'auth-7', 'refund-1', null]);
  });

  it('keeps the reference of a group, none when its event names none', async () => {
    const otherId = '00000000-0000-7000-a000-000000000002';
    for (const [id, reference] of [[groupId, 'order-42'], [otherId, undefined]] as const) {
      const event = groupRecorded([leg(plain, transactionIdN(plain, 9), 'credit', 5n)], { groupId: id, reference });
      await database.store.append(groupStream(id), [{ ...encodeGroupEvent(event), metadata: { correlationId: 'spec', causationId: 'spec' } }], 'no_stream');
    }
    await given([opened({ walletId: plain })]);

    expect((await findGroup(database.pool, groupId))!.reference).toBe('order-42');
    expect((await findGroup(database.pool, otherId))!.reference).toBeNull();
  });
});
