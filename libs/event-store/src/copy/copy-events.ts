import type { Pool } from 'pg';
import { DuplicateEventIdError, WrongExpectedRevisionError } from '../event-store.errors';
import type { EventStore, RecordedEvent } from '../event-store.port';

const BATCH_SIZE_DEFAULT = 1_000;

export interface CopyEventsOptions {
  readonly source: EventStore;
  readonly target: EventStore;
  /** Where the progress is kept (event_store.copy_progress), under `name`. */
  readonly pool: Pool;
  readonly name: string;
  readonly batchSize?: number;
  /**
   * Whether the target writes a multi-stream append in the order given (KurrentDB does;
   * PostgreSQL writes it in stream-name order). Then consecutive runs of different streams
   * share one append; otherwise every run is an append of its own, so that the target's
   * global order is the source's.
   */
  readonly targetKeepsAppendOrder?: boolean;
  /** After every batch: events copied so far and the source position reached. */
  readonly onProgress?: (copied: bigint, position: bigint, head: bigint) => void;
  readonly signal?: AbortSignal;
}

export interface CopyEventsResult {
  /** Events copied by every run of this copy, this one included. */
  readonly copied: bigint;
  /**
   * Events this run found already in the target (written before a crash) and skipped. A
   * KurrentDB target answers such an append as a success instead, without writing again.
   */
  readonly alreadyThere: number;
  /** The last source position copied. */
  readonly position: bigint;
}

/**
 * Copies the event log of `source` into `target` in the source's global order: every event
 * keeps its id, stream, revision, type, schema version, data and metadata; the target gives
 * it a new position and recorded time. Consecutive events of one stream go in one append,
 * checked against the revision before them (see targetKeepsAppendOrder for several streams).
 *
 * Resumable: the source position reached is saved after every batch. An append that a crash
 * left unrecorded is recognised on the next run by its event ids and skipped, so no event is
 * copied twice and none is lost.
 */
export async function copyEvents(options: CopyEventsOptions): Promise<CopyEventsResult> {
  const batchSize = options.batchSize ?? BATCH_SIZE_DEFAULT;
  let { position, copied } = await loadProgress(options.pool, options.name);
  let alreadyThere = 0;
  const head = await options.source.headPosition();
  while (!options.signal?.aborted) {
    const batch = await options.source.readAll({ after: position, maxCount: batchSize });
    if (batch.length === 0) break;
    for (const runs of appendGroups(streamRuns(batch), options.targetKeepsAppendOrder ?? false)) {
      alreadyThere += await appendRuns(options.target, runs);
    }
    position = batch[batch.length - 1]!.position;
    copied += BigInt(batch.length);
    await saveProgress(options.pool, options.name, position, copied);
    options.onProgress?.(copied, position, head > position ? head : position);
  }
  return { copied, alreadyThere, position };
}

/**
 * Appends runs of different streams in one append, each checked against the revision before
 * it. Returns how many events the target held already: if it holds every run, none is
 * written; if it holds some, the runs go one by one.
 */
async function appendRuns(target: EventStore, runs: RecordedEvent[][]): Promise<number> {
  try {
    await target.appendMany(runs.map((run) => ({
      stream: run[0]!.stream,
      events: run.map(({ id, type, schemaVersion, data, metadata }) => ({ id, type, schemaVersion, data, metadata })),
      expectedRevision: run[0]!.revision === 0 ? ('no_stream' as const) : run[0]!.revision - 1,
    })));
    return 0;
  } catch (error) {
    if (!(error instanceof WrongExpectedRevisionError || error instanceof DuplicateEventIdError)) throw error;
    const held = await Promise.all(runs.map((run) => holds(target, run)));
    if (held.every(Boolean)) return runs.reduce((sum, run) => sum + run.length, 0);
    if (runs.length === 1) throw error;
    let alreadyThere = 0;
    for (const run of runs) alreadyThere += await appendRuns(target, [run]);
    return alreadyThere;
  }
}

/** Whether the target's stream holds exactly these events at these revisions. */
async function holds(target: EventStore, run: RecordedEvent[]): Promise<boolean> {
  const there = await target.readStream(run[0]!.stream, { fromRevision: run[0]!.revision, maxCount: run.length });
  return there.length === run.length && there.every((event, index) => event.id === run[index]!.id);
}

/** Splits a batch into runs of consecutive events of the same stream, keeping the order. */
function streamRuns(batch: readonly RecordedEvent[]): RecordedEvent[][] {
  const runs: RecordedEvent[][] = [];
  for (const event of batch) {
    const last = runs[runs.length - 1];
    if (last && last[0]!.stream === event.stream) last.push(event);
    else runs.push([event]);
  }
  return runs;
}

/** Groups runs for one append each: consecutive runs of distinct streams when order is kept. */
function appendGroups(runs: RecordedEvent[][], keepsOrder: boolean): RecordedEvent[][][] {
  if (!keepsOrder) return runs.map((run) => [run]);
  const groups: RecordedEvent[][][] = [];
  let streams = new Set<string>();
  for (const run of runs) {
    if (groups.length === 0 || streams.has(run[0]!.stream)) {
      groups.push([]);
      streams = new Set();
    }
    groups[groups.length - 1]!.push(run);
    streams.add(run[0]!.stream);
  }
  return groups;
}

async function loadProgress(pool: Pool, name: string): Promise<{ position: bigint; copied: bigint }> {
  const { rows } = await pool.query<{ position: string; copied: string }>('select position, copied from event_store.copy_progress where name = $1', [name]);
  return { position: BigInt(rows[0]?.position ?? 0), copied: BigInt(rows[0]?.copied ?? 0) };
}

async function saveProgress(pool: Pool, name: string, position: bigint, copied: bigint): Promise<void> {
  await pool.query(
    `insert into event_store.copy_progress (name, position, copied) values ($1, $2, $3)
     on conflict (name) do update set position = excluded.position, copied = excluded.copied, updated_at = now()`,
    [name, position.toString(), copied.toString()],
  );
}
