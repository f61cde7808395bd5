import { decodeGroupEvent, decodeWalletEvent } from '@wallet/domain';
import type { RecordedEvent } from '@wallet/event-store';
import type { Pool, PoolClient } from 'pg';
import { BalanceCache } from './balance-cache';
import { type Changeset, type ProjectedEvent, buildChangeset } from './changeset';
import { READ_MODEL_PROJECTION, lockCheckpoint } from './checkpoints';
import { type GroupChanges, buildGroupChanges, writeGroupChanges } from './group-changes';
import { loadBalances, writeChangeset } from './read-model-writer';

/** Wallet streams feed every read model but transaction_groups. */
export const isWalletEvent = (event: RecordedEvent): boolean => event.stream.startsWith('wallet-');

/** Group streams feed the transaction_groups read model. */
export const isGroupEvent = (event: RecordedEvent): boolean => event.stream.startsWith('group-');

/** Every batch's wallets fit twice over: see BalanceCache. */
const BALANCE_CACHE_CAPACITY = 50_000;

/** A batch folded ahead of its transaction, valid while the cache keeps the generation it was folded in. */
export interface PreparedBatch {
  readonly generation: number;
  readonly changes: BatchChanges;
}

interface BatchChanges {
  readonly wallets: Changeset | undefined;
  readonly groups: GroupChanges | undefined;
}

export interface BatchWriterOptions {
  readonly pool: Pool;
  readonly schema: string;
  readonly snapshotEvery: number;
  readonly log: (message: string) => void;
  readonly fault?: { readonly afterEvents: number; readonly crash: () => never };
}

/**
 * Applies batches to the read models, each in one transaction with its checkpoint. Folds
 * from cached balance rows, so that the next batch can be folded while one is being written.
 */
export class BatchWriter {
  private readonly cache = new BalanceCache(BALANCE_CACHE_CAPACITY);
  /** Set once the fault switch fired: this writer is dead, as its process would be. */
  crashed = false;

  constructor(private readonly options: BatchWriterOptions) {}

  /**
   * Folds a batch ahead of its transaction. The balance rows the cache lacks are read from
   * the committed read model: correct, since every wallet of the batch still in flight is
   * cached. Undefined if the cache was cleared meanwhile.
   */
  async prepare(batch: readonly RecordedEvent[]): Promise<PreparedBatch | undefined> {
    const generation = this.cache.generation;
    const wallets = walletEvents(batch);
    await this.loadMissing(this.options.pool, wallets);
    if (this.cache.generation !== generation) return undefined;
    return { generation, changes: this.fold(batch, wallets) };
  }

  /**
   * Applies a batch and moves the checkpoint from `checkpoint` to the batch's end in one
   * transaction; returns the new checkpoint. Uses `prepared` only if it is still valid and
   * nobody else moved the checkpoint, else folds the batch again inside the transaction.
   */
  async apply(batch: readonly RecordedEvent[], checkpoint: bigint, prepared?: PreparedBatch): Promise<bigint> {
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
      const unapplied = from === checkpoint ? batch : batch.filter((event) => event.position > from);
      const fault = this.options.fault;
      if (fault && fault.afterEvents < unapplied.length) {
        this.crashed = true;
        broken = new Error('projector batch abandoned');
        const partial = unapplied.slice(0, fault.afterEvents);
        await this.write(client, await this.foldInTransaction(client, partial), from, partial[partial.length - 1]?.position ?? from);
        fault.crash();
      }
      const valid = prepared && from === checkpoint && prepared.generation === this.cache.generation;
      await this.write(client, valid ? prepared.changes : await this.foldInTransaction(client, unapplied), from, next);
      await client.query('commit');
      return next;
    } catch (error) {
      // Whatever this batch folded into the cache was never committed.
      this.cache.clear();
      if (!broken) await client.query('rollback').catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    } finally {
      client.off('error', onError);
      // A crashed batch's connection, or a broken one, is dropped, not reused.
      client.release(broken);
    }
  }

  /**
   * Begins the transaction and locks the checkpoint. It is ahead of the one this projector
   * holds in memory only after a rebuild swapped in a read model that already contains some
   * of the batch's events; those are skipped and the cache, folded from the old model, is
   * dropped. Behind it, events would be lost: stop.
   */
  private async open(client: PoolClient, checkpoint: bigint): Promise<bigint> {
    await client.query('begin');
    const from = await lockCheckpoint(client, this.options.schema);
    if (from < checkpoint) throw new Error(`Checkpoint of ${this.options.schema} went back from ${checkpoint} to ${from}; restart the projector.`);
    if (from > checkpoint) {
      this.options.log(`Checkpoint of ${this.options.schema} is at ${from}, ahead of ${checkpoint} (moved by another writer, such as a rebuild's swap): skipping the events up to it`);
      this.cache.clear();
    }
    return from;
  }

  private async foldInTransaction(client: PoolClient, batch: readonly RecordedEvent[]): Promise<BatchChanges> {
    const wallets = walletEvents(batch);
    await this.loadMissing(client, wallets);
    return this.fold(batch, wallets);
  }

  private async loadMissing(db: Pool | PoolClient, wallets: readonly ProjectedEvent[]): Promise<void> {
    const missing = this.cache.missing(new Set(wallets.map((projected) => projected.event.data.walletId)));
    if (missing.length > 0) this.cache.set((await loadBalances(db, this.options.schema, missing)).values());
  }

  /** Folds the batch from the cached balances, and caches the balances it leaves. */
  private fold(batch: readonly RecordedEvent[], wallets: readonly ProjectedEvent[]): BatchChanges {
    const groupEvents = batch.filter(isGroupEvent).map((recorded) => ({ position: recorded.position, event: decodeGroupEvent(recorded) }));
    const changes = wallets.length === 0 ? undefined : buildChangeset(wallets, this.cache.view, { snapshotEvery: this.options.snapshotEvery });
    if (changes) this.cache.set(changes.balances.values());
    return { wallets: changes, groups: groupEvents.length === 0 ? undefined : buildGroupChanges(groupEvents) };
  }

  private async write(client: PoolClient, { wallets, groups }: BatchChanges, from: bigint, to: bigint): Promise<void> {
    if (groups) await writeGroupChanges(client, this.options.schema, groups);
    await writeChangeset(client, this.options.schema, wallets ?? EMPTY_CHANGESET, { name: READ_MODEL_PROJECTION, from, to });
  }
}

const EMPTY_CHANGESET: Changeset = buildChangeset([], new Map(), { snapshotEvery: 1 });

function walletEvents(batch: readonly RecordedEvent[]): ProjectedEvent[] {
  const events: ProjectedEvent[] = [];
  for (const recorded of batch) {
    if (isWalletEvent(recorded)) events.push({ position: recorded.position, revision: recorded.revision, event: decodeWalletEvent(recorded) });
  }
  return events;
}
