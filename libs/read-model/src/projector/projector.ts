import { decodeGroupEvent, decodeWalletEvent } from '@wallet/domain';
import type { EventStore, RecordedEvent } from '@wallet/event-store';
import type { Pool, PoolClient } from 'pg';
import { type ProjectedEvent, buildChangeset } from './changeset';
import { buildGroupChanges, writeGroupChanges } from './group-changes';
import { advanceCheckpoint, leaderLockKey, lockCheckpoint, readCheckpoint, recordFailure } from './checkpoints';
import { loadBalances, schemaName, writeChangeset } from './read-model-writer';

const LEADER_RETRY_MS = 1_000;
const TRANSIENT_ATTEMPTS_MAX = 8;
const TRANSIENT_PAUSE_MAX_MS = 5_000;

/** SQLSTATE classes and codes that say the database was unavailable, not that the events are bad. */
const TRANSIENT_SQLSTATE = /^(08|40|53|57P0|57014|55P03)/;
/** The same for the KurrentDB client's command errors. */
const TRANSIENT_KURRENTDB = /^(unavailable|deadline-exceeded|timeout|not-leader|cancelled)$/;

function isTransient(error: unknown): boolean {
  const { code, message, type } = (error ?? {}) as { code?: unknown; message?: unknown; type?: unknown };
  if (typeof code === 'string' && TRANSIENT_SQLSTATE.test(code)) return true;
  if (typeof type === 'string' && TRANSIENT_KURRENTDB.test(type)) return true;
  if (typeof code === 'string' && /^E(CONNRESET|CONNREFUSED|PIPE|TIMEDOUT)$/.test(code)) return true;
  return typeof message === 'string' && /Connection terminated|timeout exceeded when trying to connect/i.test(message);
}

export interface ProjectorOptions {
  readonly pool: Pool;
  readonly store: EventStore;
  readonly schema?: string;
  readonly snapshotEvery: number;
  readonly batchSizeMax: number;
  readonly log: (message: string) => void;
  /** Called after every committed batch: metrics. */
  readonly onBatch?: (events: readonly RecordedEvent[], checkpoint: bigint) => void;
  /**
   * Fault switch for crash tests: write the first `afterEvents` events of a batch inside its
   * transaction, then `crash` before the commit. A crash that throws instead of ending the
   * process stops this projector for good, as a dead process would be.
   */
  readonly fault?: { readonly afterEvents: number; readonly crash: () => never };
}

/** An event the read models cannot apply: the projector stops there and says where. */
export class ProjectionHaltedError extends Error {
  override readonly name = 'ProjectionHaltedError';

  constructor(
    readonly position: bigint,
    cause: unknown,
  ) {
    super(`Projection halted at position ${position}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** Wallet streams feed every read model but transaction_groups. */
export const isWalletEvent = (event: RecordedEvent): boolean => event.stream.startsWith('wallet-');

/** Group streams feed the transaction_groups read model. */
export const isGroupEvent = (event: RecordedEvent): boolean => event.stream.startsWith('group-');

/**
 * Follows the event log from its checkpoint and applies each batch to the read models and
 * the new checkpoint in one PostgreSQL transaction: every event takes effect exactly once,
 * whenever the process dies. One projector runs at a time (an advisory lock elects it).
 */
export class Projector {
  private readonly schema: string;
  private crashed = false;

  constructor(private readonly options: ProjectorOptions) {
    this.schema = schemaName(options.schema ?? 'read_model');
  }

  /** Runs until the signal aborts; rejects with ProjectionHaltedError on an event it cannot apply. */
  async run(signal: AbortSignal): Promise<void> {
    const leader = await this.becomeLeader(signal);
    if (!leader) return;
    try {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await this.follow(signal);
        } catch (error) {
          // Reading the log failed (not applying it): follow again from the checkpoint.
          if (signal.aborted || error instanceof ProjectionHaltedError || !isTransient(error)) throw error;
          const pauseMs = Math.min(TRANSIENT_PAUSE_MAX_MS, 100 * 2 ** Math.min(attempt, 6));
          this.options.log(`Projector lost the event log (${(error as Error).message}); following again in ${pauseMs} ms`);
          await new Promise((resolve) => setTimeout(resolve, pauseMs));
        }
      }
    } finally {
      await leader.client.query('select pg_advisory_unlock(hashtext($1))', [leaderLockKey(this.schema)]).catch(() => undefined);
      leader.release();
    }
  }

  private async follow(signal: AbortSignal): Promise<void> {
    let checkpoint = (await readCheckpoint(this.options.pool, this.schema)).position;
    this.options.log(`Projector following the event log from position ${checkpoint}`);
    const batches = this.options.store.subscribeAll({ after: checkpoint, batchSizeMax: this.options.batchSizeMax, signal });
    for await (const batch of batches) {
      checkpoint = await this.applyOrHalt(batch, checkpoint);
      this.options.onBatch?.(batch, checkpoint);
    }
  }

  /**
   * Applies everything up to the current end of the log, or at least up to `until` if given
   * (so a log growing faster than the replay cannot keep it going), then returns the
   * checkpoint reached.
   */
  async catchUp(until?: bigint): Promise<bigint> {
    let checkpoint = (await readCheckpoint(this.options.pool, this.schema)).position;
    for (;;) {
      if (until !== undefined && checkpoint >= until) return checkpoint;
      const batch = await this.options.store.readAll({ after: checkpoint, maxCount: this.options.batchSizeMax });
      if (batch.length === 0) return checkpoint;
      checkpoint = await this.applyOrHalt(batch, checkpoint);
      this.options.onBatch?.(batch, checkpoint);
    }
  }

  private async applyOrHalt(batch: readonly RecordedEvent[], checkpoint: bigint): Promise<bigint> {
    try {
      return await this.applyRetryingTransientErrors(batch, checkpoint);
    } catch (error) {
      if (this.crashed) throw error;
      if (batch.length === 1) return this.halt(batch[0]!.position, error);
      // Apply one event per transaction to find the one that fails; those before it stay applied.
      let reached = checkpoint;
      for (const event of batch) {
        try {
          reached = await this.applyRetryingTransientErrors([event], reached);
        } catch (single) {
          return this.halt(event.position, single);
        }
      }
      return reached;
    }
  }

  /**
   * A lost connection, a deadlock or a timeout says nothing about the events: the batch is
   * tried again with a growing pause (bounded). Only an error that stays is a halt.
   */
  private async applyRetryingTransientErrors(batch: readonly RecordedEvent[], checkpoint: bigint): Promise<bigint> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.applyBatch(batch, checkpoint);
      } catch (error) {
        if (this.crashed || !isTransient(error) || attempt >= TRANSIENT_ATTEMPTS_MAX) throw error;
        const pauseMs = Math.min(TRANSIENT_PAUSE_MAX_MS, 100 * 2 ** attempt);
        this.options.log(`Projector batch failed (${(error as Error).message}); retrying in ${pauseMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    }
  }

  private async applyBatch(batch: readonly RecordedEvent[], checkpoint: bigint): Promise<bigint> {
    const client = await this.options.pool.connect();
    let broken = false;
    let connectionError: Error | undefined;
    const onError = (error: Error): void => {
      connectionError = error;
    };
    client.on('error', onError);
    try {
      await client.query('begin');
      const from = await this.openBatch(client, checkpoint);
      const unapplied = batch.filter((event) => event.position > from);
      const last = batch[batch.length - 1]!.position;
      const next = last > from ? last : from;
      const fault = this.options.fault;
      if (fault && fault.afterEvents < unapplied.length) {
        broken = true;
        this.crashed = true;
        await this.project(client, unapplied.slice(0, fault.afterEvents));
        fault.crash();
      }
      await this.project(client, unapplied);
      await advanceCheckpoint(client, this.schema, from, next);
      await client.query('commit');
      return next;
    } catch (error) {
      if (!broken) await client.query('rollback').catch((rollbackError: Error) => (connectionError ??= rollbackError));
      throw error;
    } finally {
      client.off('error', onError);
      // A crashed batch's connection, or a broken one, is dropped, not reused.
      client.release(broken ? new Error('projector batch abandoned') : connectionError);
    }
  }

  /**
   * Locks the checkpoint for this batch's transaction. It is ahead of the one this projector
   * holds in memory only after a rebuild swapped in a read model that already contains some
   * of the batch's events; those are skipped. Behind it, events would be lost: stop.
   */
  private async openBatch(client: PoolClient, checkpoint: bigint): Promise<bigint> {
    const from = await lockCheckpoint(client, this.schema);
    if (from < checkpoint) throw new Error(`Checkpoint of ${this.schema} went back from ${checkpoint} to ${from}; restart the projector.`);
    if (from > checkpoint) this.options.log(`Checkpoint of ${this.schema} is at ${from}, ahead of ${checkpoint} (moved by another writer, such as a rebuild's swap): skipping the events up to it`);
    return from;
  }

  private async project(client: PoolClient, batch: readonly RecordedEvent[]): Promise<void> {
    const groupEvents = batch.filter(isGroupEvent).map((recorded) => ({ position: recorded.position, event: decodeGroupEvent(recorded) }));
    if (groupEvents.length > 0) await writeGroupChanges(client, this.schema, buildGroupChanges(groupEvents));
    const events: ProjectedEvent[] = batch
      .filter(isWalletEvent)
      .map((recorded) => ({ position: recorded.position, revision: recorded.revision, event: decodeWalletEvent(recorded) }));
    if (events.length === 0) return;
    const walletIds = [...new Set(events.map((e) => e.event.data.walletId))];
    const balances = await loadBalances(client, this.schema, walletIds);
    await writeChangeset(client, this.schema, buildChangeset(events, balances, { snapshotEvery: this.options.snapshotEvery }));
  }

  private async halt(position: bigint, cause: unknown): Promise<never> {
    const error = new ProjectionHaltedError(position, cause);
    this.options.log(error.message);
    await recordFailure(this.options.pool, this.schema, position, error.message).catch(() => undefined);
    throw error;
  }

  /** Holds the leader lock on a connection of its own; waits while another projector holds it. */
  /**
   * Should the leader's connection drop, the lock goes with it and a second projector may
   * start; that costs work, not correctness, since every batch locks the checkpoint row and
   * skips what another has applied. So the loss is logged, not fatal.
   */
  private async becomeLeader(signal: AbortSignal): Promise<{ client: PoolClient; release: () => void } | undefined> {
    const client = await this.options.pool.connect();
    let lost: Error | undefined;
    const onError = (error: Error): void => {
      lost = error;
      this.options.log(`Projector lost its leader connection: ${error.message}`);
    };
    client.on('error', onError);
    const release = (): void => {
      client.off('error', onError);
      client.release(lost);
    };
    try {
      while (!signal.aborted) {
        const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock(hashtext($1)) as locked', [leaderLockKey(this.schema)]);
        if (rows[0]!.locked) return { client, release };
        await new Promise((resolve) => setTimeout(resolve, LEADER_RETRY_MS));
      }
    } catch (error) {
      release();
      throw error;
    }
    release();
    return undefined;
  }
}
