import type { Pool } from 'pg';
import { schemaName } from '../projector/schema-name';

const BATCH_SIZE_DEFAULT = 1_000;
const BATCHES_MAX_DEFAULT = 100;

export interface ArchiveOptions {
  /** Final transactions last changed before this moment move; later ones stay. */
  readonly olderThan: Date;
  /** Rows moved per statement (default 1,000). */
  readonly batchSize?: number;
  /** Statements per run at most (default 100), so one run is bounded. */
  readonly batchesMax?: number;
  readonly schema?: string;
}

export interface ArchiveResult {
  readonly moved: number;
  readonly batches: number;
  /** True when the run stopped at `batchesMax` with rows probably left to move. */
  readonly more: boolean;
}

/**
 * Moves final transactions (confirmed or rejected) last changed before `olderThan` and
 * covered by a snapshot of their wallet from `transactions` to `transactions_archive`, in
 * batches of one atomic statement each, until a batch moves fewer rows than its size.
 *
 * It cannot race the projector into losing an update: the projector only ever updates
 * pending transactions (and fails its batch if one is missing), and only final ones move.
 * A hold being settled by a projector batch in flight is still pending in the committed
 * data this statement reads, and its row lock makes `skip locked` pass over it anyway.
 */
export async function archiveTransactions(pool: Pool, options: ArchiveOptions): Promise<ArchiveResult> {
  const schema = schemaName(options.schema ?? 'read_model');
  const batchSize = options.batchSize ?? BATCH_SIZE_DEFAULT;
  const batchesMax = options.batchesMax ?? BATCHES_MAX_DEFAULT;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}.`);
  if (!Number.isInteger(batchesMax) || batchesMax < 1) throw new RangeError(`batchesMax must be a positive integer, got ${batchesMax}.`);
  // `status <> 'pending'` (final: confirmed or rejected) matches the partial index on updated_at.
  const moveBatch = `
    with moved as (
      delete from ${schema}.transactions
       where id in (
         select t.id from ${schema}.transactions t
          where t.status <> 'pending' and t.updated_at < $1
            and exists (select 1 from ${schema}.transaction_snapshots s where s.wallet_id = t.wallet_id and s.position >= t.position)
          limit $2
            for update skip locked)
      returning *)
    insert into ${schema}.transactions_archive select * from moved`;
  let moved = 0;
  for (let batches = 1; batches <= batchesMax; batches += 1) {
    const { rowCount } = await pool.query(moveBatch, [options.olderThan, batchSize]);
    moved += rowCount ?? 0;
    if ((rowCount ?? 0) < batchSize) return { moved, batches, more: false };
  }
  return { moved, batches: batchesMax, more: true };
}
