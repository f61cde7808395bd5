import { type BalanceTotals, type WalletEvent, WALLET_EVENT_TYPES, occurredAt } from '@wallet/domain';
import type { BatchStatement } from '../../projector/batch-statement';
import type { BatchState, ProjectedEvent, Projection, ProjectionBatch } from '../../projector/projection';
import type { WalletBalances } from '../../projector/wallet-balances';

interface SnapshotRow extends BalanceTotals {
  readonly walletId: string;
  readonly position: bigint;
  readonly revision: number;
  readonly snapshotDate: string;
  readonly transactionCount: bigint;
}

/**
 * Takes a snapshot of the wallet's balance right after an event, from the shared balances
 * as the balances projection (before this one in the list) leaves them: after WalletOpened,
 * after every `snapshotEvery` events of the wallet, and after its first event of a new UTC day.
 */
class SnapshotsBatch implements ProjectionBatch<WalletEvent> {
  private readonly snapshots: SnapshotRow[] = [];

  constructor(
    private readonly balances: WalletBalances,
    private readonly snapshotEvery: number,
  ) {}

  fold({ event, position, revision }: ProjectedEvent<WalletEvent>): void {
    const at = occurredAt(event);
    const row = this.balances.get(event.data.walletId);
    if (!row) throw new Error(`No balance of wallet ${event.data.walletId} to snapshot: the balances projection must come before the snapshots projection.`);
    const due = event.type === 'WalletOpened' || row.eventsSinceSnapshot >= this.snapshotEvery || !sameUtcDay(at, row.lastSnapshotAt);
    if (!due) return;
    const { walletId, ledgerMinor, pendingDebitsMinor, pendingCreditsMinor, transactionCount } = row;
    this.snapshots.push({ walletId, position, revision, snapshotDate: at, ledgerMinor, pendingDebitsMinor, pendingCreditsMinor, transactionCount });
    this.balances.set({ ...row, eventsSinceSnapshot: 0, lastSnapshotAt: at });
  }

  write(statement: BatchStatement): void {
    const { schema, params: p } = statement;
    const snapshots = this.snapshots;
    if (snapshots.length === 0) return;
    statement.add('new_snapshots', `insert into ${schema}.transaction_snapshots (wallet_id, position, revision, snapshot_date, ledger, pending_debits, pending_credits, transaction_count)
       select * from unnest(${p.uuid(snapshots, (s) => s.walletId)}, ${p.int8(snapshots, (s) => s.position)}, ${p.int8(snapshots, (s) => BigInt(s.revision))},
         ${p.timestamptz(snapshots, (s) => s.snapshotDate)}, ${p.int8(snapshots, (s) => s.ledgerMinor)}, ${p.int8(snapshots, (s) => s.pendingDebitsMinor)},
         ${p.int8(snapshots, (s) => s.pendingCreditsMinor)}, ${p.int8(snapshots, (s) => s.transactionCount)})`);
  }
}

/** Both ISO 8601 times in UTC: the first ten characters are the day. */
function sameUtcDay(a: string, b: string): boolean {
  return a.startsWith(b.slice(0, 10));
}

/** `transaction_snapshots`: ledger entries of a wallet's balance (see SnapshotsBatch), at least daily for an active wallet. */
export function snapshotsProjection(snapshotEvery: number): Projection<WalletEvent> {
  return { name: 'snapshots', handles: WALLET_EVENT_TYPES, begin: (shared: BatchState) => new SnapshotsBatch(shared.balances, snapshotEvery) };
}
