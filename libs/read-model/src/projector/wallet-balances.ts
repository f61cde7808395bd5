import type { BalanceTotals } from '@wallet/domain';
import type { Pool, PoolClient } from 'pg';

/**
 * A wallet's row of the balances table: its totals and when its last snapshot was taken,
 * with the wallet's currency (from the wallets table), which the totals per currency need.
 */
export interface BalanceRow extends BalanceTotals {
  readonly walletId: string;
  readonly currency: string;
  readonly transactionCount: bigint;
  readonly revision: number;
  readonly position: bigint;
  readonly eventsSinceSnapshot: number;
  readonly lastSnapshotAt: string;
}

/**
 * The wallets' balance rows as a batch's events so far leave them: the state the balances
 * and snapshots projections share. A row the batch has not changed yet is the one before
 * the batch, which the projector carries from batch to batch (see BalanceCache).
 */
export class WalletBalances {
  /** The rows this batch changed, by wallet. */
  readonly changed = new Map<string, BalanceRow>();

  /** `before`: the rows of the batch's wallets before it; a wallet it lacks has none yet. Only read. */
  constructor(private readonly before: ReadonlyMap<string, BalanceRow>) {}

  /** The wallet's row as the batch leaves it so far; undefined before the wallet's first event. */
  get(walletId: string): BalanceRow | undefined {
    return this.changed.get(walletId) ?? this.before.get(walletId);
  }

  /** The wallet's row before the batch; undefined for a wallet the batch opened. */
  beforeBatch(walletId: string): BalanceRow | undefined {
    return this.before.get(walletId);
  }

  set(row: BalanceRow): void {
    this.changed.set(row.walletId, row);
  }
}

/** A balances row as pg returns it. */
export interface BalanceDbRow {
  wallet_id: string;
  currency: string;
  ledger: string;
  pending_debits: string;
  pending_credits: string;
  transaction_count: string;
  revision: string;
  position: string;
  events_since_snapshot: number;
  last_snapshot_at: Date;
}

/** Balance rows of the given wallets with their currencies, as the read model holds them (as `db` sees it). */
export async function loadBalances(db: Pool | PoolClient, schema: string, walletIds: readonly string[]): Promise<Map<string, BalanceRow>> {
  if (walletIds.length === 0) return new Map();
  const { rows } = await db.query<BalanceDbRow>(`select b.*, w.currency from ${schema}.balances b join ${schema}.wallets w on w.id = b.wallet_id where b.wallet_id = any($1::uuid[])`, [walletIds]);
  return new Map(
    rows.map((row) => [
      row.wallet_id,
      {
        walletId: row.wallet_id,
        currency: row.currency,
        ledgerMinor: BigInt(row.ledger),
        pendingDebitsMinor: BigInt(row.pending_debits),
        pendingCreditsMinor: BigInt(row.pending_credits),
        transactionCount: BigInt(row.transaction_count),
        revision: Number(row.revision),
        position: BigInt(row.position),
        eventsSinceSnapshot: row.events_since_snapshot,
        lastSnapshotAt: row.last_snapshot_at.toISOString(),
      },
    ]),
  );
}
