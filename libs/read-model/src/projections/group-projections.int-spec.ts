import {
  type GroupCommand,
  type GroupState,
  type WalletEvent,
  type WalletState,
  EXPIRED_REASON,
  GROUP_LEGS_MAX,
  decideGroup,
  encodeGroupEvent,
  encodeWalletEvent,
  evolveWallet,
  evolveGroup,
  foldWallet,
  initialGroupState,
  initialWalletState,
  walletsOfGroupCommand,
} from '@wallet/domain';
import {
  T1,
  T2,
  T3,
  appendWalletEvents,
  catchUpToHead,
  confirmGroup,
  createStoreTestDatabase,
  credited,
  expireGroup,
  leg,
  opened,
  recordGroup,
  rejectGroup,
  reverseGroup,
  type StoreTestDatabase,
  transactionIdN,
  walletIdN,
} from '@wallet/testing';
import { findGroup } from '../queries/groups.queries';
import { verifyReadModel } from '../verify/verify';
import { Projector } from '../projector/projector';

const [A, B, C] = [walletIdN(1), walletIdN(2), walletIdN(3)];
const tx = (walletId: string, k: number): string => transactionIdN(walletId, k);
const groupIdN = (n: number): string => `00000000-0000-7000-a000-${n.toString(16).padStart(12, '0')}`;
const G = groupIdN(1);
const metadata = { correlationId: 'spec', causationId: 'spec' };

/**
 * How a group's settlement reaches the read model: in the same batch as the group's
 * recording, in a later batch (the projector caught up in between), or one event per batch.
 */
const SETTLED_IN = [
  ['in the batch that recorded it', 'same'],
  ['in a later batch', 'later'],
  ['one event per batch', 'single'],
] as const;
type Batching = (typeof SETTLED_IN)[number][1];

/** Given group commands decided on folded states and appended as the service does, then rows. */
describe('Read model projections of transaction groups', () => {
  let database: StoreTestDatabase;
  let wallets: Map<string, WalletState>;
  let groups: Map<string, GroupState>;

  beforeEach(async () => {
    database = await createStoreTestDatabase(4);
    wallets = new Map();
    groups = new Map();
  });
  afterEach(() => database.drop());

  async function walletEvents(events: WalletEvent[]): Promise<void> {
    await appendWalletEvents(database.store, events);
    for (const event of events) wallets.set(event.data.walletId, evolveWallet(wallets.get(event.data.walletId) ?? initialWalletState, event));
  }

  /** Three USD wallets opened at T0; A holds 100. */
  async function openWallets(): Promise<void> {
    await walletEvents([opened({ walletId: A }), credited(tx(A, 0), 100n, { walletId: A }), opened({ walletId: B }), opened({ walletId: C })]);
  }

  /**
   * Decides a group command on the current states and appends the group's stream and every
   * wallet stream at once, as the command runner does. Returns the group event's position.
   */
  async function run(command: GroupCommand): Promise<bigint> {
    const group = groups.get(command.groupId) ?? { ...initialGroupState, groupId: command.groupId };
    const states = new Map(walletsOfGroupCommand(command, group).map((id) => [id, wallets.get(id) ?? initialWalletState] as const));
    const decision = decideGroup(command, group, states);
    const groupStream = `group-${command.groupId}`;
    const reversal = decision.reversalGroup;
    const result = await database.store.appendMany([
      { stream: groupStream, events: decision.groupEvents.map((e) => ({ ...encodeGroupEvent(e), metadata })), expectedRevision: 'any' },
      ...(reversal ? [{ stream: `group-${reversal.groupId}`, events: reversal.groupEvents.map((e) => ({ ...encodeGroupEvent(e), metadata })), expectedRevision: 'any' as const }] : []),
      ...[...decision.walletEvents].map(([walletId, events]) => ({
        stream: `wallet-${walletId}`,
        events: events.map((e) => ({ ...encodeWalletEvent(e), metadata })),
        expectedRevision: 'any' as const,
      })),
    ]);
    groups.set(command.groupId, decision.groupEvents.reduce(evolveGroup, group));
    if (reversal) groups.set(reversal.groupId, reversal.groupEvents.reduce(evolveGroup, { ...initialGroupState, groupId: reversal.groupId }));
    for (const [walletId, events] of decision.walletEvents) wallets.set(walletId, foldWallet(events, wallets.get(walletId)));
    return result.events.find((event) => event.stream === groupStream)!.position;
  }

  async function project(batching: Batching = 'same'): Promise<void> {
    const batchSizeMax = batching === 'single' ? 1 : 1_000;
    await catchUpToHead(new Projector({ pool: database.pool, store: database.store, snapshotEvery: 100, batchSizeMax, log: () => undefined }), database.pool);
  }

  /** Projects now only when the settlement should come in a later batch. */
  const between = (batching: Batching): Promise<void> => (batching === 'later' ? project(batching) : Promise.resolve());

  async function groupRows(): Promise<Record<string, unknown>[]> {
    return (await database.pool.query('select * from read_model.transaction_groups order by id')).rows;
  }

  /** The legs' rows, by transaction id. */
  async function legRows(groupId: string): Promise<Record<string, Record<string, unknown>>> {
    const { rows } = await database.pool.query(
      `select id, wallet_id, type, amount, status, group_id, reject_reason, expires_at, hold_timestamp, confirm_reject_timestamp
         from read_model.transactions where group_id = $1`,
      [groupId],
    );
    return Object.fromEntries(rows.map((row) => [row.id as string, row]));
  }

  /** Legs in order: A twice (not adjacent), B and C; A's legs are appended before B's. */
  const legs = [leg(A, tx(A, 1), 'debit', 60n, 'rent'), leg(B, tx(B, 1), 'credit', 50n), leg(A, tx(A, 2), 'credit', 5n), leg(C, tx(C, 1), 'credit', 15n, 'fee')];
  const legIds = legs.map((l) => l.transactionId);

  const groupRow = (overrides: Record<string, unknown>): Record<string, unknown> => ({
    id: G,
    status: 'completed',
    description: 'split',
    metadata: { order: 7 },
    legs: legIds,
    created_at: T1,
    updated_at: T1,
    expires_at: null,
    reject_reason: null,
    reversal_of: null,
    reversed_by: null,
    reference: null,
    ...overrides,
  });

  /** Every leg's row with the given status (and other fields). */
  const legsAs = (fields: Record<string, unknown>): Record<string, Record<string, unknown>> =>
    Object.fromEntries(
      legs.map((l) => [
        l.transactionId,
        { id: l.transactionId, wallet_id: l.walletId, type: l.transactionType, amount: l.amountMinor.toString(), group_id: G, reject_reason: null, expires_at: null, ...fields },
      ]),
    );

  async function balances(): Promise<Record<string, [string, string, string]>> {
    const { rows } = await database.pool.query('select wallet_id, ledger, pending_debits, pending_credits from read_model.balances');
    return Object.fromEntries(rows.map((r) => [r.wallet_id as string, [r.ledger, r.pending_debits, r.pending_credits]]));
  }

  async function expectNoDrift(): Promise<void> {
    const report = await verifyReadModel({ pool: database.pool, store: database.store });
    expect(report.drifts).toEqual([]);
  }

  const record = (overrides: Parameters<typeof recordGroup>[1] = {}) => recordGroup(legs, { groupId: G, description: 'split', metadata: { order: 7 }, now: T1, ...overrides });

  it('TransactionGroupRecorded (completed): the group row with its legs in order, every leg confirmed in the group', async () => {
    await openWallets();
    const position = await run(record());
    await project();

    expect(await groupRows()).toEqual([groupRow({ position: position.toString() })]);
    expect(await legRows(G)).toEqual(legsAs({ status: 'confirmed', hold_timestamp: null, confirm_reject_timestamp: T1 }));
    expect(await balances()).toEqual({ [A]: ['45', '0', '0'], [B]: ['50', '0', '0'], [C]: ['15', '0', '0'] });
    expect((await findGroup(database.pool, G))!.transactions.map((t) => t.transactionId)).toEqual(legIds);
    await expectNoDrift();
  });

  it('TransactionGroupRecorded (pending, with expiresAt): a pending group row, every leg a pending hold in the group', async () => {
    await openWallets();
    const position = await run(record({ pending: true, expiresAt: T2 }));
    await project();

    expect(await groupRows()).toEqual([groupRow({ status: 'pending', expires_at: T2, position: position.toString() })]);
    expect(await legRows(G)).toEqual(legsAs({ status: 'pending', expires_at: T2, hold_timestamp: T1, confirm_reject_timestamp: null }));
    expect(await balances()).toEqual({ [A]: ['100', '60', '5'], [B]: ['0', '0', '50'], [C]: ['0', '0', '15'] });
    await expectNoDrift();
  });

  it('TransactionGroupRecorded (pending, without expiresAt): no expiry anywhere', async () => {
    await openWallets();
    const position = await run(record({ pending: true }));
    await project();

    expect(await groupRows()).toEqual([groupRow({ status: 'pending', position: position.toString() })]);
    expect(await legRows(G)).toEqual(legsAs({ status: 'pending', hold_timestamp: T1, confirm_reject_timestamp: null }));
  });

  it.each(SETTLED_IN)('TransactionGroupConfirmed %s: completed at the confirmation, every leg confirmed', async (_label, batching) => {
    await openWallets();
    await run(record({ pending: true, expiresAt: T3 }));
    await between(batching);
    const position = await run(confirmGroup({ groupId: G, now: T2 }));
    await project(batching);

    expect(await groupRows()).toEqual([groupRow({ updated_at: T2, expires_at: T3, position: position.toString() })]);
    expect(await legRows(G)).toEqual(legsAs({ status: 'confirmed', expires_at: T3, hold_timestamp: T1, confirm_reject_timestamp: T2 }));
    expect(await balances()).toEqual({ [A]: ['45', '0', '0'], [B]: ['50', '0', '0'], [C]: ['15', '0', '0'] });
    await expectNoDrift();
  });

  it.each(SETTLED_IN)('TransactionGroupRejected %s: rejected with its reason, every leg rejected, reservations released', async (_label, batching) => {
    await openWallets();
    await run(record({ pending: true }));
    await between(batching);
    const position = await run(rejectGroup('cancelled', { groupId: G, now: T2 }));
    await project(batching);

    expect(await groupRows()).toEqual([groupRow({ status: 'rejected', reject_reason: 'cancelled', updated_at: T2, position: position.toString() })]);
    expect(await legRows(G)).toEqual(legsAs({ status: 'rejected', reject_reason: 'cancelled', hold_timestamp: T1, confirm_reject_timestamp: T2 }));
    expect(await balances()).toEqual({ [A]: ['100', '0', '0'], [B]: ['0', '0', '0'], [C]: ['0', '0', '0'] });
    await expectNoDrift();
  });

  it.each(SETTLED_IN)('TransactionGroupRejected (a reason of null) %s', async (_label, batching) => {
    await openWallets();
    await run(record({ pending: true }));
    await between(batching);
    const position = await run(rejectGroup(null, { groupId: G, now: T2 }));
    await project(batching);

    expect(await groupRows()).toEqual([groupRow({ status: 'rejected', updated_at: T2, position: position.toString() })]);
    expect(await legRows(G)).toEqual(legsAs({ status: 'rejected', hold_timestamp: T1, confirm_reject_timestamp: T2 }));
  });

  it.each(SETTLED_IN)('expired (TransactionGroupRejected "expired") %s: rejected as expired, every leg too', async (_label, batching) => {
    await openWallets();
    await run(record({ pending: true, expiresAt: T2 }));
    await between(batching);
    const position = await run(expireGroup({ groupId: G, now: T3 }));
    await project(batching);

    expect(await groupRows()).toEqual([groupRow({ status: 'rejected', reject_reason: EXPIRED_REASON, updated_at: T3, expires_at: T2, position: position.toString() })]);
    expect(await legRows(G)).toEqual(legsAs({ status: 'rejected', reject_reason: EXPIRED_REASON, expires_at: T2, hold_timestamp: T1, confirm_reject_timestamp: T3 }));
    expect(await balances()).toEqual({ [A]: ['100', '0', '0'], [B]: ['0', '0', '0'], [C]: ['0', '0', '0'] });
    await expectNoDrift();
  });

  it.each(SETTLED_IN)('several groups %s: each row settled on its own, untouched ones stay pending', async (_label, batching) => {
    await openWallets();
    const two = (n: number, amount: bigint) => [leg(A, tx(A, 10 + n), 'debit', amount), leg(B, tx(B, 10 + n), 'credit', amount)];
    const [G2, G3, G4] = [groupIdN(2), groupIdN(3), groupIdN(4)];
    const recorded2 = await run(recordGroup(two(2, 10n), { groupId: G2, pending: true, now: T1 }));
    await run(recordGroup(two(3, 20n), { groupId: G3, pending: true, now: T1 }));
    const recorded4 = await run(recordGroup(two(4, 30n), { groupId: G4, now: T1 }));
    await between(batching);
    const confirmed3 = await run(confirmGroup({ groupId: G3, now: T2 }));
    await project(batching);

    const rows = await groupRows();
    expect(rows.map((r) => [r.id, r.status, r.position, r.updated_at])).toEqual([
      [G2, 'pending', recorded2.toString(), T1],
      [G3, 'completed', confirmed3.toString(), T2],
      [G4, 'completed', recorded4.toString(), T1],
    ]);
    expect(Object.values(await legRows(G2)).map((r) => r.status)).toEqual(['pending', 'pending']);
    expect(Object.values(await legRows(G3)).map((r) => r.status)).toEqual(['confirmed', 'confirmed']);
    expect(await balances()).toEqual({ [A]: ['50', '10', '0'], [B]: ['50', '0', '10'], [C]: ['0', '0', '0'] });
    await expectNoDrift();
  });

  it.each(SETTLED_IN)('TransactionGroupReversed %s: the original names its reversal, the new group names the original, every leg reversed in full', async (_label, batching) => {
    await openWallets();
    await run(record());
    await between(batching);
    const R = groupIdN(2);
    const reversalIds = Array.from({ length: GROUP_LEGS_MAX }, (_, k) => transactionIdN(walletIdN(50), k));
    const position = await run(reverseGroup({ groupId: G, reversalGroupId: R, reversalTransactionIds: reversalIds, reason: 'refund', now: T2 }));
    await project(batching);

    const rows = await groupRows();
    expect(rows[0]).toEqual(groupRow({ reversed_by: R, updated_at: T2, position: position.toString() }));
    expect(rows[1]).toMatchObject({ id: R, status: 'completed', reversal_of: G, reversed_by: null, legs: reversalIds.slice(0, legs.length), created_at: T2 });
    const originals = await legRows(G);
    expect(Object.values(originals).map((row) => row.status)).toEqual(['confirmed', 'confirmed', 'confirmed', 'confirmed']);
    const { rows: amounts } = await database.pool.query('select id, amount, captured_amount, reversed_amount, reversal_of from read_model.transactions where group_id in ($1, $2) order by id', [G, R]);
    expect(amounts).toEqual(
      expect.arrayContaining([
        ...legs.map((l) => ({ id: l.transactionId, amount: l.amountMinor.toString(), captured_amount: l.amountMinor.toString(), reversed_amount: l.amountMinor.toString(), reversal_of: null })),
        ...legs.map((l, k) => ({ id: reversalIds[k], amount: l.amountMinor.toString(), captured_amount: l.amountMinor.toString(), reversed_amount: '0', reversal_of: l.transactionId })),
      ]),
    );
    expect(amounts).toHaveLength(2 * legs.length);
    const found = await findGroup(database.pool, G);
    expect([found!.reversedBy, found!.reversalOf]).toEqual([R, null]);
    expect((await findGroup(database.pool, R))!.reversalOf).toBe(G);
    expect(await balances()).toEqual({ [A]: ['100', '0', '0'], [B]: ['0', '0', '0'], [C]: ['0', '0', '0'] });
    await expectNoDrift();
  });

  it('a projector restarted between recording and settlement picks the group up where it left it', async () => {
    await openWallets();
    await run(record({ pending: true, expiresAt: T2 }));
    await project('single');
    const position = await run(expireGroup({ groupId: G, now: T2 }));
    await run(recordGroup([leg(A, tx(A, 20), 'debit', 100n), leg(B, tx(B, 20), 'credit', 100n)], { groupId: groupIdN(9), now: T3 }));
    await project('single');

    expect((await groupRows())[0]).toEqual(groupRow({ status: 'rejected', reject_reason: EXPIRED_REASON, updated_at: T2, expires_at: T2, position: position.toString() }));
    expect(await balances()).toEqual({ [A]: ['0', '0', '0'], [B]: ['100', '0', '0'], [C]: ['0', '0', '0'] });
    await expectNoDrift();
  });
});
