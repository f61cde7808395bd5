import {
  type BalanceTotals,
  type TransactionSnapshot,
  type WalletEvent,
  applyToBalance,
  assertNever,
  occurredAt,
  recordedTransaction,
  recordsTransaction,
  settlementOf,
  type Settlement,
} from '@wallet/domain';

/** A wallet event with the envelope fields the read models keep. */
export interface ProjectedEvent {
  readonly position: bigint;
  readonly revision: number;
  readonly event: WalletEvent;
}

export interface BalanceRow extends BalanceTotals {
  readonly walletId: string;
  readonly transactionCount: bigint;
  readonly revision: number;
  readonly position: bigint;
  readonly eventsSinceSnapshot: number;
  readonly lastSnapshotAt: string;
}

export interface WalletRow {
  readonly id: string;
  readonly type: string;
  readonly currency: string;
  readonly metadata: Record<string, unknown>;
  readonly createdAt: string;
}

export interface WalletTouch {
  readonly updatedAt: string;
  readonly version: number;
  readonly position: bigint;
}

export interface OwnerRow {
  readonly walletId: string;
  readonly ownerType: string;
  readonly ownerRef: string;
  readonly createdAt: string;
}

export interface TransactionRow extends TransactionSnapshot {
  readonly position: bigint;
  readonly createdPosition: bigint;
  readonly updatedAt: string;
}

export interface SettlementChange extends Settlement {
  readonly transactionId: string;
  readonly position: bigint;
}

export interface SnapshotRow extends BalanceTotals {
  readonly walletId: string;
  readonly position: bigint;
  readonly revision: number;
  readonly snapshotDate: string;
  readonly transactionCount: bigint;
}

/** Everything one batch of events changes in the read models, folded in memory first. */
export interface Changeset {
  readonly newWallets: Map<string, WalletRow>;
  readonly touchedWallets: Map<string, WalletTouch>;
  readonly owners: OwnerRow[];
  readonly balances: Map<string, BalanceRow>;
  readonly newTransactions: Map<string, TransactionRow>;
  readonly settlements: Map<string, SettlementChange>;
  readonly snapshots: SnapshotRow[];
}

export interface ChangesetOptions {
  /** A ledger-entry snapshot after this many events of a wallet (and at least daily). */
  readonly snapshotEvery: number;
}

/**
 * Folds a batch of events into the rows they change. `balancesBefore` holds the balance
 * rows of the wallets the batch touches, as they are before it. Pure.
 */
export function buildChangeset(events: readonly ProjectedEvent[], balancesBefore: ReadonlyMap<string, BalanceRow>, options: ChangesetOptions): Changeset {
  const changes: Changeset = {
    newWallets: new Map(),
    touchedWallets: new Map(),
    owners: [],
    balances: new Map(balancesBefore),
    newTransactions: new Map(),
    settlements: new Map(),
    snapshots: [],
  };
  for (const projected of events) {
    applyWalletEvent(changes, projected);
    applyBalance(changes, projected, options);
  }
  return changes;
}

function applyWalletEvent(changes: Changeset, { event, position, revision }: ProjectedEvent): void {
  const walletId = event.data.walletId;
  const at = occurredAt(event);
  changes.touchedWallets.set(walletId, { updatedAt: at, version: revision + 1, position });
  switch (event.type) {
    case 'WalletOpened': {
      const { walletType, currency, metadata, owners } = event.data;
      changes.newWallets.set(walletId, { id: walletId, type: walletType, currency, metadata: { ...metadata }, createdAt: at });
      for (const owner of owners) changes.owners.push({ walletId, ...owner, createdAt: at });
      return;
    }
    case 'WalletOwnerAdded':
      changes.owners.push({ walletId, ownerType: event.data.ownerType, ownerRef: event.data.ownerRef, createdAt: at });
      return;
    case 'FundsCredited':
    case 'FundsDebited':
    case 'HoldPlaced':
      changes.newTransactions.set(event.data.transactionId, { ...recordedTransaction(event), position, createdPosition: position, updatedAt: at });
      return;
    case 'HoldConfirmed':
    case 'HoldRejected': {
      const settlement = settlementOf(event);
      const id = event.data.transactionId;
      const inBatch = changes.newTransactions.get(id);
      if (inBatch) changes.newTransactions.set(id, { ...inBatch, ...settlement, position, updatedAt: at });
      else changes.settlements.set(id, { ...settlement, transactionId: id, position });
      return;
    }
    default:
      assertNever(event);
  }
}

function applyBalance(changes: Changeset, { event, position, revision }: ProjectedEvent, options: ChangesetOptions): void {
  const walletId = event.data.walletId;
  const at = occurredAt(event);
  const before = changes.balances.get(walletId) ?? emptyBalance(walletId, at);
  const totals = applyToBalance(before, event);
  const transactionCount = before.transactionCount + (recordsTransaction(event) ? 1n : 0n);
  const eventsSinceSnapshot = before.eventsSinceSnapshot + 1;
  const due = event.type === 'WalletOpened' || eventsSinceSnapshot >= options.snapshotEvery || utcDay(at) !== utcDay(before.lastSnapshotAt);
  const { ledgerMinor, pendingDebitsMinor, pendingCreditsMinor } = totals;
  if (due) {
    changes.snapshots.push({ walletId, position, revision, snapshotDate: at, ledgerMinor, pendingDebitsMinor, pendingCreditsMinor, transactionCount });
  }
  changes.balances.set(walletId, {
    walletId,
    ledgerMinor,
    pendingDebitsMinor,
    pendingCreditsMinor,
    transactionCount,
    revision,
    position,
    eventsSinceSnapshot: due ? 0 : eventsSinceSnapshot,
    lastSnapshotAt: due ? at : before.lastSnapshotAt,
  });
}

function emptyBalance(walletId: string, at: string): BalanceRow {
  return { walletId, ledgerMinor: 0n, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n, transactionCount: 0n, revision: -1, position: 0n, eventsSinceSnapshot: 0, lastSnapshotAt: at };
}

function utcDay(iso: string): string {
  return iso.slice(0, 10);
}
