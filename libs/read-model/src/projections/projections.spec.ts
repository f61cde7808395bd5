import { GROUP_EVENT_TYPES, type OverdraftLimitSet, WALLET_EVENT_TYPES } from '@wallet/domain';
import { captured, groupConfirmed, groupRecorded, groupRejected, groupReversed, increased, leg, reversed, transactionIdN, walletHistory, walletIdN } from '@wallet/testing';
import { BatchFolder } from '../projector/batch-fold';
import type { DomainEvent, ProjectedEvent, Projection } from '../projector/projection';
import type { BalanceRow } from '../projector/wallet-balances';
import { readModelProjections } from '.';

const DOMAIN_TYPES: readonly string[] = [...WALLET_EVENT_TYPES, ...GROUP_EVENT_TYPES];
const PROJECTIONS = readModelProjections({ snapshotEvery: 4 });

/** A batch with every event type of the domain, wallet and group events mixed. */
const W1 = walletIdN(1);
/** The history's credit (transaction 0) and the debit hold it leaves pending (transaction 4). */
const [CREDIT, HOLD] = [transactionIdN(W1, 0), transactionIdN(W1, 4)];
const LIMIT_SET: OverdraftLimitSet = { type: 'OverdraftLimitSet', data: { walletId: W1, overdraftLimit: 'unlimited', setAt: '2025-01-02T00:00:00.000Z' } };
const BATCH: readonly ProjectedEvent[] = [
  ...walletHistory(W1, 10),
  LIMIT_SET,
  increased(HOLD, 'debit', 2n, { walletId: W1 }),
  captured(HOLD, 'debit', 3n, { walletId: W1 }),
  reversed(transactionIdN(W1, 100), CREDIT, 'debit', 10n, { walletId: W1 }),
  groupRecorded([leg(W1, 'tx-g1', 'debit', 5n)], { groupId: 'g-1', pending: true }),
  groupConfirmed({ groupId: 'g-1' }),
  groupReversed('g-3', { groupId: 'g-1' }),
  groupRecorded([leg(walletIdN(2), 'tx-g2', 'credit', 5n)], { groupId: 'g-2', pending: true }),
  groupRejected('no', { groupId: 'g-2' }),
].map((event: DomainEvent, index) => ({ position: BigInt(index + 1), revision: index, event }));

/** The projection, recording the type of every event the projector hands it. */
function recording(projection: Projection, seen: string[]): Projection {
  return {
    name: projection.name,
    handles: projection.handles,
    begin: (shared) => {
      const batch = projection.begin(shared);
      return { fold: (projected) => (seen.push(projected.event.type), batch.fold(projected)), write: (statement) => batch.write(statement) };
    },
  };
}

/** W1's balance row as an earlier batch left it. */
const W1_BEFORE: BalanceRow = {
  walletId: W1,
  currency: 'USD',
  ledgerMinor: 100n,
  pendingDebitsMinor: 5n,
  pendingCreditsMinor: 0n,
  transactionCount: 5n,
  revision: 9,
  position: 10n,
  eventsSinceSnapshot: 1,
  lastSnapshotAt: '2025-01-01T00:00:00.000Z',
};

/** The names of the statement's parts, in order. */
const partsOf = (text: string): string[] => [...text.matchAll(/(\w+) as \(/g)].map((match) => match[1]!);

describe('The projection list', () => {
  it('names every projection once', () => {
    const names = PROJECTIONS.map((projection) => projection.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('covers every event type of the domain, and declares no other', () => {
    const handled = new Set(PROJECTIONS.flatMap((projection) => projection.handles));
    expect([...handled].sort()).toEqual([...DOMAIN_TYPES].sort());
    expect(new Set(BATCH.map((projected) => projected.event.type))).toEqual(new Set(DOMAIN_TYPES));
  });

  it.each(PROJECTIONS.map((projection) => [projection.name, projection] as const))('hands %s exactly the events of the types it declares, in position order', (_, projection) => {
    const seen: string[] = [];
    const others = PROJECTIONS.map((candidate) => (candidate === projection ? recording(candidate, seen) : candidate));
    new BatchFolder(others, 'read_model').fold(BATCH, new Map());
    expect(seen).toEqual(BATCH.map((projected) => projected.event.type).filter((type) => projection.handles.includes(type)));
  });

  it('hands an added projection its events, and writes its part in the batch\'s statement', () => {
    const seen: string[] = [];
    const extra: Projection = {
      name: 'holds',
      handles: ['HoldPlaced'],
      begin: () => ({ fold: (projected) => seen.push(projected.event.type), write: (statement) => statement.add('holds_seen', 'select 1') }),
    };
    const { statement } = new BatchFolder([...PROJECTIONS, extra], 'read_model').fold(BATCH, new Map());
    expect(seen).toEqual(BATCH.filter((projected) => projected.event.type === 'HoldPlaced').map(() => 'HoldPlaced'));
    expect(partsOf(statement.text)).toContain('holds_seen');
  });

  it('writes only what a batch changed: a batch of group events is the groups\' parts and the checkpoint', () => {
    const groups = BATCH.filter((projected) => (GROUP_EVENT_TYPES as readonly string[]).includes(projected.event.type));
    const { statement, balances } = new BatchFolder(PROJECTIONS, 'read_model').fold(groups, new Map());
    expect(partsOf(statement.text)).toEqual(['new_groups', 'moved']);
    expect(balances).toEqual([]);
  });

  it('changes the rows of earlier batches, live or archived, with one counted part', () => {
    const changes = BATCH.filter((projected) => ['HoldCaptured', 'HoldIncreased'].includes(projected.event.type));
    const { statement } = new BatchFolder(PROJECTIONS, 'read_model').fold(changes, new Map([[W1, W1_BEFORE]]));
    expect(partsOf(statement.text)).toEqual(['touched_wallets', 'new_balances', 'new_totals', 'new_totals_history', 'changed_live', 'changed_archived', 'changed', 'moved']);
    expect(statement.counted.map((part) => [part.name, part.expected])).toEqual([['changed', 1]]);
  });

  it('refuses two parts of one name in a statement', () => {
    const twice: Projection = { name: 'twice', handles: [], begin: () => ({ fold: () => undefined, write: (statement) => statement.add('new_wallets', 'select 1') }) };
    expect(() => new BatchFolder([...PROJECTIONS, twice], 'read_model').fold(BATCH, new Map())).toThrow(/new_wallets is taken/);
  });

  it('folds snapshots from the balances as the balances projection leaves them, so it must come first', () => {
    const [wallets, owners, balances, snapshots, ...rest] = PROJECTIONS;
    expect([balances!.name, snapshots!.name]).toEqual(['balances', 'snapshots']);
    const swapped = [wallets!, owners!, snapshots!, balances!, ...rest];
    expect(() => new BatchFolder(swapped, 'read_model').fold(BATCH, new Map())).toThrow(/balances projection must come before the snapshots projection/);
  });
});
