import { READ_COUNT_MAX, type RecordedEvent } from '@wallet/event-store';
import type { Pool, PoolClient } from 'pg';
import { BalanceCache } from './balance-cache';
import { type DecodedBatch, decodeBatch } from './batch-events';
import { BatchFolder, type FoldedBatch } from './batch-fold';
import type { ProjectorBatchHooks } from './batch-hooks';
import { writeBatch } from './batch-statement';
import { READ_MODEL_PROJECTION, beginBatch } from './checkpoints';
import type { Projection } from './projection';
import { type BalanceRow, loadBalances } from './wallet-balances';

/** The wallets of the largest batches fit several times over: see BalanceCache. */
const BALANCE_CACHE_CAPACITY = 5 * READ_COUNT_MAX;

/** A batch folded ahead of its transaction, valid while the cache keeps the generation it was folded in. */
export interface PreparedBatch {
  readonly generation: number;
  readonly changes: FoldedBatch;
}

/** A batch on its way: `writing` settles once its statements are sent (or it failed), `applied` once it committed. */
export interface BatchInFlight {
  readonly writing: Promise<void>;
  readonly applied: Promise<bigint>;
}

export interface BatchWriterOptions {
  readonly pool: Pool;
  readonly schema: string;
  readonly projections: readonly Projection[];
  readonly log: (message: string) => void;
  readonly hooks?: ProjectorBatchHooks;
}

/**
 * Applies batches to the read models, each in one transaction with its checkpoint. Folds
 * from cached balance rows, so that the next batch can be folded while one is being written.
 * The cache holds the balances as every batch sent so far leaves them (committed or in
 * flight), never those of a fold that was not sent; it is cleared when a batch fails.
 */
export class BatchWriter {
  private readonly cache = new BalanceCache(BALANCE_CACHE_CAPACITY);
  private readonly folder: BatchFolder;
  /** The checkpoint the cache reflects: where the last batch sent leaves it. */
  private cachedThrough: bigint | undefined;
  /** Set once a hook failed: this writer is dead, as its process would be. */
  abandoned = false;

  constructor(private readonly options: BatchWriterOptions) {
    this.folder = new BatchFolder(options.projections, options.schema);
  }

  /**
   * Before applying from a checkpoint read afresh: the cache is kept only if it reflects that
   * very checkpoint, for another projector may have moved it since this one's last batch.
   */
  resumeAt(checkpoint: bigint): void {
    if (this.cachedThrough !== checkpoint) this.forget();
  }

  /**
   * Folds a batch ahead of its transaction, from the cache as the batch in flight leaves it.
   * The balance rows the cache lacks are read from the committed read model: correct, since
   * every wallet of the batch in flight is cached. Undefined if the cache was cleared meanwhile.
   */
  async prepare(batch: readonly RecordedEvent[]): Promise<PreparedBatch | undefined> {
    const generation = this.cache.generation;
    const decoded = decodeBatch(batch);
    const loaded = await this.loadMissing(this.options.pool, decoded);
    if (this.cache.generation !== generation) return undefined;
    this.cache.set(loaded);
    return { generation, changes: this.folder.fold(decoded.events, this.cache.view) };
  }

  /** Makes every batch folded ahead so far stale: after a batch was applied again out of turn. */
  invalidatePrepared(): void {
    this.forget();
  }

  /**
   * Applies a batch and moves the checkpoint from `checkpoint` to the batch's end in one
   * transaction; resolves to the new checkpoint. Uses `prepared` only if it is still valid
   * and nobody else moved the checkpoint, else folds the batch again inside the transaction.
   */
  apply(batch: readonly RecordedEvent[], checkpoint: bigint, prepared?: PreparedBatch): Promise<bigint> {
    return this.start(batch, checkpoint, prepared).applied;
  }

  /** Like apply, and says when the batch's statements are sent: the time to fold the next one. */
  start(batch: readonly RecordedEvent[], checkpoint: bigint, prepared?: PreparedBatch): BatchInFlight {
    let sent!: () => void;
    const writing = new Promise<void>((resolve) => (sent = resolve));
    const applied = this.run(batch, checkpoint, prepared, sent);
    return { writing, applied: applied.finally(sent) };
  }

  private async run(batch: readonly RecordedEvent[], checkpoint: bigint, prepared: PreparedBatch | undefined, sent: () => void): Promise<bigint> {
    const client = await this.options.pool.connect();
    let broken: Error | undefined;
    const onError = (error: Error): void => {
      broken = error;
    };
    client.on('error', onError);
    try {
      const from = await this.open(client, checkpoint);
      const last = batch[batch.length - 1]!.position;
      const next = last > from ? last : from;
      const unapplied = batch.filter((event) => event.position > from);
      // A batch folded ahead is good only on the cache it was folded from and the checkpoint it
      // was folded for, with none of its events already in the read model.
      const valid = prepared && from === checkpoint && unapplied.length === batch.length && prepared.generation === this.cache.generation;
      const changes = valid ? prepared.changes : await this.foldInTransaction(client, unapplied);
      this.send(changes, next);
      await this.write(client, changes, from, next, sent);
      await this.beforeCommit(batch, (error) => (broken = error));
      await client.query('commit');
      return next;
    } catch (error) {
      // What this batch put in the cache was never committed.
      this.forget();
      if (!broken) await client.query('rollback').catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    } finally {
      client.off('error', onError);
      // An abandoned batch's connection, or a broken one, is dropped, not reused.
      client.release(broken);
    }
  }

  /** Runs the beforeCommit hook; if it fails, the batch is abandoned with its connection (`drop`). */
  private async beforeCommit(batch: readonly RecordedEvent[], drop: (error: Error) => void): Promise<void> {
    try {
      await this.options.hooks?.beforeCommit?.(batch);
    } catch (error) {
      this.abandoned = true;
      drop(new Error('projector batch abandoned'));
      throw error;
    }
  }

  /**
   * Begins the transaction and locks the checkpoint. It is ahead of the one this projector
   * holds in memory only after a rebuild swapped in a read model that already contains some
   * of the batch's events; those are skipped and the cache, folded from the old model, is
   * dropped. Behind it, events would be lost: stop.
   */
  private async open(client: PoolClient, checkpoint: bigint): Promise<bigint> {
    const from = await beginBatch(client, this.options.schema);
    if (from < checkpoint) throw new Error(`Checkpoint of ${this.options.schema} went back from ${checkpoint} to ${from}; restart the projector.`);
    if (from > checkpoint) {
      this.options.log(`Checkpoint of ${this.options.schema} is at ${from}, ahead of ${checkpoint} (moved by another writer, such as a rebuild's swap): skipping the events up to it`);
      this.forget();
    }
    return from;
  }

  /** A batch's changes are on their way: the cache now reflects the checkpoint it moves to. */
  private send(changes: FoldedBatch, checkpoint: bigint): void {
    this.cache.set(changes.balances);
    this.cachedThrough = checkpoint;
  }

  private forget(): void {
    this.cache.clear();
    this.cachedThrough = undefined;
  }

  private async foldInTransaction(client: PoolClient, batch: readonly RecordedEvent[]): Promise<FoldedBatch> {
    const decoded = decodeBatch(batch);
    this.cache.set(await this.loadMissing(client, decoded));
    return this.folder.fold(decoded.events, this.cache.view);
  }

  /** The balance rows of the batch's wallets that the cache lacks. */
  private async loadMissing(db: Pool | PoolClient, { walletIds }: DecodedBatch): Promise<Iterable<BalanceRow>> {
    const missing = this.cache.missing(walletIds);
    return missing.length === 0 ? [] : (await loadBalances(db, this.options.schema, missing)).values();
  }

  private async write(client: PoolClient, { statement }: FoldedBatch, from: bigint, to: bigint, sent: () => void): Promise<void> {
    const written = writeBatch(client, statement, { name: READ_MODEL_PROJECTION, from, to });
    sent();
    await written;
  }
}
