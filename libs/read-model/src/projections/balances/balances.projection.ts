import { type WalletEvent, WALLET_EVENT_TYPES, applyToBalance, recordsTransaction } from '@wallet/domain';
import type { BatchStatement } from '../../projector/batch-statement';
import type { BatchState, ProjectedEvent, Projection, ProjectionBatch } from '../../projector/projection';
import type { BalanceRow, WalletBalances } from '../../projector/wallet-balances';

/**
 * Moves the wallet's row of the shared balances by every event of the wallet: totals,
 * transaction count, revision and position, and one more event since the last snapshot
 * (the snapshots projection, after this one, resets that count when it takes one).
 */
class BalancesBatch implements ProjectionBatch<WalletEvent> {
  constructor(private readonly balances: WalletBalances) {}

  fold({ event, position, revision }: ProjectedEvent<WalletEvent>): void {
    const walletId = event.data.walletId;
    const before = this.balances.get(walletId) ?? emptyBalance(event, position);
    // A fresh three-field object: the domain's spread over it stays on V8's fast path.
    const totals = applyToBalance({ ledgerMinor: before.ledgerMinor, pendingDebitsMinor: before.pendingDebitsMinor, pendingCreditsMinor: before.pendingCreditsMinor }, event);
    this.balances.set({
      walletId,
      currency: before.currency,
      ledgerMinor: totals.ledgerMinor,
      pendingDebitsMinor: totals.pendingDebitsMinor,
      pendingCreditsMinor: totals.pendingCreditsMinor,
      transactionCount: recordsTransaction(event) ? before.transactionCount + 1n : before.transactionCount,
      revision,
      position,
      eventsSinceSnapshot: before.eventsSinceSnapshot + 1,
      lastSnapshotAt: before.lastSnapshotAt,
    });
  }

  write(statement: BatchStatement): void {
    const { schema, params: p } = statement;
    const rows = [...this.balances.changed.values()];
    if (rows.length === 0) return;
    statement.add('new_balances', `insert into ${schema}.balances (wallet_id, ledger, pending_debits, pending_credits, transaction_count, revision, position, events_since_snapshot, last_snapshot_at)
       select * from unnest(${p.uuid(rows, (b) => b.walletId)}, ${p.int8(rows, (b) => b.ledgerMinor)}, ${p.int8(rows, (b) => b.pendingDebitsMinor)},
         ${p.int8(rows, (b) => b.pendingCreditsMinor)}, ${p.int8(rows, (b) => b.transactionCount)}, ${p.int8(rows, (b) => BigInt(b.revision))},
         ${p.int8(rows, (b) => b.position)}, ${p.int4(rows, (b) => b.eventsSinceSnapshot)}, ${p.timestamptz(rows, (b) => b.lastSnapshotAt)})
       on conflict (wallet_id) do update set ledger = excluded.ledger, pending_debits = excluded.pending_debits,
         pending_credits = excluded.pending_credits, transaction_count = excluded.transaction_count, revision = excluded.revision,
         position = excluded.position, events_since_snapshot = excluded.events_since_snapshot, last_snapshot_at = excluded.last_snapshot_at`);
  }
}

/**
 * A wallet's row before its first event, which opens it; its first snapshot is due at that
 * event. Any other event of a wallet with no row means the read model lacks the opening.
 */
function emptyBalance(event: WalletEvent, position: bigint): BalanceRow {
  const { walletId } = event.data;
  if (event.type !== 'WalletOpened') throw new Error(`${event.type} at position ${position} for wallet ${walletId}, which the read model has not seen opened.`);
  return { walletId, currency: event.data.currency, ledgerMinor: 0n, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n, transactionCount: 0n, revision: -1, position: 0n, eventsSinceSnapshot: 0, lastSnapshotAt: event.data.openedAt };
}

/** `balances`: a row per wallet with its totals, written from the batch's shared balances. */
export const balancesProjection: Projection<WalletEvent> = {
  name: 'balances',
  handles: WALLET_EVENT_TYPES,
  begin: (shared: BatchState) => new BalancesBatch(shared.balances),
};
