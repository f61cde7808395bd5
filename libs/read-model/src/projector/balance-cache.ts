import type { BalanceRow } from './wallet-balances';

/**
 * Balance rows as the batches folded so far leave them, for the wallets they touched most
 * recently, so that a batch can be folded before the one ahead of it has committed. Only the
 * least recently touched rows are evicted: with a capacity of at least two batches' wallets,
 * the rows of the batch in flight always stay. Every change of generation (a clear) makes
 * what was folded from the earlier contents stale.
 */
export class BalanceCache {
  private readonly rows = new Map<string, BalanceRow>();
  private currentGeneration = 0;

  constructor(private readonly capacity: number) {}

  get generation(): number {
    return this.currentGeneration;
  }

  /** The rows as a read-only map, for the fold. */
  get view(): ReadonlyMap<string, BalanceRow> {
    return this.rows;
  }

  /** The wallets of `walletIds` with no row here. */
  missing(walletIds: Iterable<string>): string[] {
    const missing: string[] = [];
    for (const walletId of walletIds) if (!this.rows.has(walletId)) missing.push(walletId);
    return missing;
  }

  /** Stores rows, most recent last, and evicts the least recent beyond the capacity. */
  set(rows: Iterable<BalanceRow>): void {
    for (const row of rows) {
      this.rows.delete(row.walletId);
      this.rows.set(row.walletId, row);
    }
    for (const walletId of this.rows.keys()) {
      if (this.rows.size <= this.capacity) break;
      this.rows.delete(walletId);
    }
  }

  /** Forgets everything: after a failed batch, or when someone else moved the read model. */
  clear(): void {
    this.rows.clear();
    this.currentGeneration += 1;
  }
}
