import type { EventStore, RecordedEvent } from '@wallet/event-store';
import type { Pool } from 'pg';
import type { ProjectorBatchHooks } from './batch-hooks';
import { BatchWriter } from './batch-writer';
import { readCheckpoint, recordFailure } from './checkpoints';
import { becomeLeader } from './leader-lock';
import { type LogReader, PagePrefetcher, logReaderFor } from './log-reader';
import { schemaName } from './schema-name';
import type { Projection } from './projection';
import { readModelProjections } from '../projections';
import { isTransient, pause, transientPauseMs } from './transient-errors';

export type { ProjectorBatchHooks } from './batch-hooks';

export { transientPauseMs } from './transient-errors';

export interface ProjectorOptions {
  readonly pool: Pool;
  readonly store: EventStore;
  readonly schema?: string;
  readonly snapshotEvery: number;
  /** The read models to write; default: every read model of the service (readModelProjections). */
  readonly projections?: readonly Projection[];
  readonly batchSizeMax: number;
  readonly log: (message: string) => void;
  /** Where a halt, and a halt that could not be recorded, are reported (error level); default `log`. */
  readonly logError?: (message: string) => void;
  /**
   * Called after every committed batch: metrics. Events read straight from PostgreSQL decode
   * `metadata` and `recordedAt` only when read (getters): a copy by spread leaves them out.
   */
  readonly onBatch?: (events: readonly RecordedEvent[], checkpoint: bigint) => void;
  /** Seams around every batch's transaction: see ProjectorBatchHooks. */
  readonly hooks?: ProjectorBatchHooks;
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

/** A batch whose transaction is under way, and how it ended once it has. */
interface InFlight {
  readonly batch: readonly RecordedEvent[];
  readonly outcome: Promise<{ readonly checkpoint: bigint } | { readonly error: unknown }>;
}

/**
 * Follows the event log from its checkpoint and applies each batch to the read models and
 * the new checkpoint in one PostgreSQL transaction: every event takes effect exactly once,
 * whenever the process dies. One projector runs at a time (an advisory lock elects it).
 *
 * While catching up, three batches are under way at once: the next page is read on one
 * connection, the page after the batch in flight is folded in memory, and the batch in
 * flight is written on another connection. Batches still commit one after the other, in
 * position order.
 */
export class Projector {
  private readonly schema: string;
  private readonly reader: LogReader;
  private readonly writer: BatchWriter;
  /** The signal of `run`: a retry of passing trouble ends when it aborts. */
  private signal: AbortSignal | undefined;

  constructor(private readonly options: ProjectorOptions) {
    this.schema = schemaName(options.schema ?? 'read_model');
    this.reader = logReaderFor(options.store);
    const projections = options.projections ?? readModelProjections({ snapshotEvery: options.snapshotEvery });
    this.writer = new BatchWriter({ pool: options.pool, schema: this.schema, projections, log: options.log, hooks: options.hooks });
  }

  /** How this projector reads the log: with the store's `lean` read, or its `full` readAll. */
  get readsLog(): LogReader['kind'] {
    return this.reader.kind;
  }

  /**
   * Runs until the signal aborts; rejects with ProjectionHaltedError on an event it cannot apply.
   * Takes the leader lock first (retrying passing trouble), and follows the log while it holds
   * it. Should the lock's connection drop, the lock is gone and another projector may take it:
   * this one stops following (after the batch in flight, which commits with its checkpoint or
   * not at all), takes the lock again, and resumes from the checkpoint.
   */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const leader = await becomeLeader(this.options.pool, this.schema, signal, this.options.log);
      if (!leader) return;
      const leading = AbortSignal.any([signal, leader.lost]);
      this.signal = leading;
      try {
        await this.followRetryingTransientErrors(leading);
      } catch (error) {
        // Whatever ends a follow because the lock was lost is no halt, but a halt stays one.
        if (signal.aborted || !leader.lost.aborted || error instanceof ProjectionHaltedError || this.writer.abandoned) throw error;
      } finally {
        await leader.release();
      }
      if (!signal.aborted && leader.lost.aborted) this.options.log('Projector stopped following: its leader lock was lost; taking it again');
    }
  }

  /** Follows the log until the signal aborts; reading it again from the checkpoint after passing trouble. */
  private async followRetryingTransientErrors(signal: AbortSignal): Promise<void> {
    for (let attempt = 1; !signal.aborted; attempt += 1) {
      try {
        return await this.follow(signal);
      } catch (error) {
        // Reading the log failed (not applying it): follow again from the checkpoint, as long as it takes.
        if (signal.aborted || error instanceof ProjectionHaltedError || !isTransient(error)) throw error;
        const pauseMs = transientPauseMs(attempt);
        this.options.log(`Projector lost the event log (${(error as Error).message}); following again in ${pauseMs} ms`);
        await pause(pauseMs, signal);
      }
    }
  }

  /** Catches up on the pipelined path, follows the live subscription, and catches up again whenever it falls behind. */
  private async follow(signal: AbortSignal): Promise<void> {
    let checkpoint = (await readCheckpoint(this.options.pool, this.schema)).position;
    this.writer.resumeAt(checkpoint);
    this.options.log(`Projector following the event log from position ${checkpoint}`);
    while (!signal.aborted) {
      checkpoint = await this.catchUpFrom(checkpoint, undefined, signal);
      checkpoint = await this.followLive(checkpoint, signal);
    }
  }

  /** One batch at a time from the subscription, until one comes full: the log ran ahead. */
  private async followLive(from: bigint, signal: AbortSignal): Promise<bigint> {
    let checkpoint = from;
    for await (const batch of this.options.store.subscribeAll({ after: checkpoint, batchSizeMax: this.options.batchSizeMax, signal })) {
      checkpoint = await this.applyOrHalt(batch, checkpoint);
      this.options.onBatch?.(batch, checkpoint);
      if (batch.length >= this.options.batchSizeMax) break;
    }
    return checkpoint;
  }

  /**
   * Applies everything up to the current end of the log, or at least up to `until` if given
   * (so a log growing faster than the replay cannot keep it going), then returns the
   * checkpoint reached.
   */
  async catchUp(until?: bigint): Promise<bigint> {
    const checkpoint = (await readCheckpoint(this.options.pool, this.schema)).position;
    this.writer.resumeAt(checkpoint);
    return this.catchUpFrom(checkpoint, until);
  }

  /**
   * The pipeline: reads the next page while the batch before it is applied, and folds each
   * batch while the one ahead of it is written. Stops at the end of the visible log, at
   * `until`, or when the signal aborts, always after the batch in flight has committed.
   */
  private async catchUpFrom(start: bigint, until?: bigint, signal?: AbortSignal): Promise<bigint> {
    const pages = new PagePrefetcher(this.reader, start, this.options.batchSizeMax);
    let checkpoint = start;
    let inFlight: InFlight | undefined;
    try {
      for (;;) {
        const reached = inFlight ? inFlight.batch[inFlight.batch.length - 1]!.position : checkpoint;
        if ((until !== undefined && reached >= until) || signal?.aborted) break;
        const batch = await pages.next();
        if (batch.length === 0) break;
        // A batch that cannot be folded ahead is folded again in its transaction, where its error shows.
        const prepared = await this.writer.prepare(batch).catch(() => undefined);
        if (inFlight) checkpoint = await this.settle(inFlight, checkpoint);
        const started = this.writer.start(batch, checkpoint, prepared);
        inFlight = { batch, outcome: started.applied.then((applied) => ({ checkpoint: applied }), (error: unknown) => ({ error })) };
        // The next batch is folded while this one is written, not before its statements are sent.
        await started.writing;
      }
    } catch (error) {
      // A failed read, or a halt: the batch in flight ends before the error goes up.
      if (inFlight) await inFlight.outcome;
      throw error;
    }
    return inFlight ? this.settle(inFlight, checkpoint) : checkpoint;
  }

  /**
   * Waits for a batch in flight. One that failed goes through the retrying path, which may
   * halt; the next batch was folded as if it had gone through, so that fold is dropped.
   */
  private async settle(inFlight: InFlight, checkpoint: bigint): Promise<bigint> {
    const outcome = await inFlight.outcome;
    let reached: bigint;
    if ('checkpoint' in outcome) reached = outcome.checkpoint;
    else {
      if (this.writer.abandoned) throw outcome.error;
      reached = await this.applyOrHalt(inFlight.batch, checkpoint);
      this.writer.invalidatePrepared();
    }
    this.options.onBatch?.(inFlight.batch, reached);
    return reached;
  }

  private async applyOrHalt(batch: readonly RecordedEvent[], checkpoint: bigint): Promise<bigint> {
    try {
      return await this.applyRetryingTransientErrors(batch, checkpoint);
    } catch (error) {
      // Passing trouble reaches here only when stopping: that is no halt.
      if (this.writer.abandoned || isTransient(error)) throw error;
      if (batch.length === 1) return this.halt(batch[0]!.position, error);
      // Apply one event per transaction to find the one that fails; those before it stay applied.
      let reached = checkpoint;
      for (const event of batch) {
        try {
          reached = await this.applyRetryingTransientErrors([event], reached);
        } catch (single) {
          if (this.writer.abandoned || isTransient(single)) throw single;
          return this.halt(event.position, single);
        }
      }
      return reached;
    }
  }

  /**
   * A lost connection, a read-only or full database, a deadlock or a timeout says nothing
   * about the events: the batch is tried again with a growing pause (at most 5 s) for as long
   * as the trouble lasts, so a spell of it never stops the read model for good. Only an
   * error of another kind is a halt. Stopping (the signal) ends the retries.
   */
  private async applyRetryingTransientErrors(batch: readonly RecordedEvent[], checkpoint: bigint): Promise<bigint> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.writer.apply(batch, checkpoint);
      } catch (error) {
        if (this.writer.abandoned || !isTransient(error) || this.signal?.aborted) throw error;
        const pauseMs = transientPauseMs(attempt);
        this.options.log(`Projector batch failed (${(error as Error).message}); retrying in ${pauseMs} ms`);
        await pause(pauseMs, this.signal);
        if (this.signal?.aborted) throw error;
      }
    }
  }

  /**
   * Stops at an event the read models cannot apply. The halt is recorded in the checkpoint
   * table for other processes; if even that fails (the database refuses writes), the error
   * log and the in-process state of the caller (ProjectorService) still show it.
   */
  private async halt(position: bigint, cause: unknown): Promise<never> {
    const error = new ProjectionHaltedError(position, cause);
    const logError = this.options.logError ?? this.options.log;
    logError(error.message);
    await recordFailure(this.options.pool, this.schema, position, error.message).catch((failure: unknown) =>
      logError(`Recording the halt at position ${position} failed too: ${failure instanceof Error ? failure.message : String(failure)}`),
    );
    throw error;
  }
}
