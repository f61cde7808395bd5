import { inTransaction } from '@wallet/postgres';
import type { Pool } from 'pg';
import { swapLockKey } from '../projector/checkpoints';
import { schemaName } from '../projector/schema-name';

const BATCH_SIZE_DEFAULT = 1_000;
const BATCHES_MAX_DEFAULT = 100;

export interface ArchiveOptions {
  /** Final transactions last changed before this moment move; later ones stay. */
  readonly olderThan: Date;
  /**
   * Confirmed transactions that may still be reversed (captured more than reversed so far,
   * and not reversals themselves) are not final: they move only when last changed before
   * this moment (default `olderThan`), however short `olderThan` is.
   */
  readonly reversibleOlderThan?: Date;
  /** Rows moved per statement (default 1,000). */
  readonly batchSize?: number;
  /** Statements per run at most (default 100), so one run is bounded. */
  readonly batchesMax?: number;
  readonly schema?: string;
  /** Called in each batch's transaction after its move, before it commits: specs race the projector here. */
  readonly beforeCommit?: () => Promise<void>;
}

export interface ArchiveResult {
  readonly moved: number;
  readonly batches: number;
  /** True when the run stopped at `batchesMax` with rows probably left to move. */
  readonly more: boolean;
}

/**
 * Moves transactions that are done with from `transactions` to `transactions_archive`, in
 * batches of one atomic statement each, until a batch moves fewer rows than its size. A
 * transaction moves when it is final (rejected, a reversal, or confirmed and reversed in
 * full) and was last changed before `olderThan`, or when it is confirmed with some left to
 * reverse and was last changed before `reversibleOlderThan`; and only when a snapshot of its
 * wallet covers its position. Pending transactions never move.
 *
 * A reversal may still come for a transaction the archive moved; the projector then changes
 * the archive row. Each batch holds the read model's swap lock exclusively while it moves,
 * as a rebuild's swap does, so no projector batch is in flight meanwhile: a batch that read
 * a row in `transactions` never finds it gone to the archive by the time it updates it.
 */
export async function archiveTransactions(pool: Pool, options: ArchiveOptions): Promise<ArchiveResult> {
  const schema = schemaName(options.schema ?? 'read_model');
  const batchSize = options.batchSize ?? BATCH_SIZE_DEFAULT;
  const batchesMax = options.batchesMax ?? BATCHES_MAX_DEFAULT;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}.`);
  if (!Number.isInteger(batchesMax) || batchesMax < 1) throw new RangeError(`batchesMax must be a positive integer, got ${batchesMax}.`);
  // `status <> 'pending'` (confirmed or rejected) matches the partial index on updated_at.
  const moveBatch = `
    with moved as (
      delete from ${schema}.transactions
       where id in (
         select t.id from ${schema}.transactions t
          where t.status <> 'pending' and t.updated_at < $1
            and (t.reversal_of is not null or t.captured_amount <= t.reversed_amount or t.updated_at < $3)
            and exists (select 1 from ${schema}.transaction_snapshots s where s.wallet_id = t.wallet_id and s.position >= t.position)
          limit $2
            for update skip locked)
      returning *)
    insert into ${schema}.transactions_archive select * from moved`;
  const values = [options.olderThan, batchSize, options.reversibleOlderThan ?? options.olderThan];
  let moved = 0;
  for (let batches = 1; batches <= batchesMax; batches += 1) {
    const rowCount = await inTransaction(pool, async (client) => {
      await client.query('select pg_advisory_xact_lock(hashtext($1))', [swapLockKey(schema)]);
      const { rowCount } = await client.query(moveBatch, values);
      await options.beforeCommit?.();
      return rowCount ?? 0;
    });
    moved += rowCount;
    if (rowCount < batchSize) return { moved, batches, more: false };
  }
  return { moved, batches: batchesMax, more: true };
}
