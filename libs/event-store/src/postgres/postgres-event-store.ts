import type { ClientConfig, Pool, PoolClient } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { DuplicateEventIdError, IdempotencyLeaseLostError, WrongExpectedRevisionError } from '../event-store.errors';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  EventFilter,
  ExpectedRevision,
  FilteredPage,
  IdempotencyCompletion,
  NewEvent,
  ReadAllOptions,
  ReadFilteredOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamAppend,
  SubscribeAllOptions,
} from '../event-store.port';
import { AppendNotifier } from './append-notifier';
import { EVENT_COLUMNS, type EventRow, toRecordedEvent } from './event-rows';
import { inTransaction } from './pg-transaction';
import { boundedCount } from '../read-limits';

/** A filtered subscription looks at up to this many events per event it may return. */
const FILTER_SCAN_FACTOR = 20;

interface FilteredRow extends Omit<EventRow, 'recorded_at'> {
  recorded_at: string;
}

/**
 * The visible prefix of the log after $1 (one stream's when $3 is set), at most $5 events of
 * it, of which those of types $4 (all when null), at most $2. Positions travel as text so
 * they stay exact in JSON.
 */
const FILTERED_SQL = `
  with scanned as (
    select position, type from event_store.events
     where position > $1::bigint and transaction_id < pg_snapshot_xmin(pg_current_snapshot())
       and ($3::text is null or stream = $3)
     order by position limit $5
  ), hits as (
    select position from scanned where $4::text[] is null or type = any($4::text[]) order by position limit $2
  )
  select (select max(position)::text from scanned) as scanned_to,
         coalesce((select json_agg(row_to_json(e) order by e.position::bigint) from (
           select position::text as position, stream, revision::text as revision, id, type, schema_version, data, metadata, recorded_at
             from event_store.events where position in (select position from hits)) e), '[]'::json) as events`;

export interface PostgresEventStoreOptions {
  /** How often a live subscription re-reads when no notification arrives. */
  readonly pollIntervalMs?: number;
  readonly onError?: (error: Error) => void;
}

interface AppendedRow {
  stream: string;
  revision: string;
  position: string;
  id: string;
  recorded_at: Date;
}

/**
 * The event store on PostgreSQL: one append-only table, optimistic concurrency per stream
 * and a global position that readers never see out of order (see migration 0001).
 */
export class PostgresEventStore implements EventStore {
  private readonly notifier: AppendNotifier;
  private readonly pollIntervalMs: number;

  constructor(
    private readonly pool: Pool,
    listenConfig: ClientConfig,
    options: PostgresEventStoreOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.notifier = new AppendNotifier(listenConfig, options.onError ?? (() => undefined));
  }

  append(stream: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision, options?: AppendOptions): Promise<AppendResult> {
    return this.appendMany([{ stream, events, expectedRevision }], options);
  }

  async appendMany(given: readonly StreamAppend[], options: AppendOptions = {}): Promise<AppendResult> {
    if (new Set(given.map((append) => append.stream)).size !== given.length) {
      throw new Error('appendMany takes each stream at most once.');
    }
    // Streams are locked and written in name order (see migration 0003), never in the caller's.
    const appends = [...given].sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0));
    const payload = JSON.stringify(appends.map(toAppendPayload));
    try {
      if (!options.idempotency) {
        const { rows } = await this.pool.query<AppendedRow>('select * from event_store.append_events($1::jsonb)', [payload]);
        return toAppendResult(appends, rows);
      }
      return await this.appendWithIdempotency(payload, appends, options.idempotency);
    } catch (error) {
      throw translateError(error, appends);
    }
  }

  async readStream(stream: string, options: ReadStreamOptions): Promise<RecordedEvent[]> {
    const { rows } = await this.pool.query<EventRow>(
      `select ${EVENT_COLUMNS} from event_store.events where stream = $1 and revision >= $2 order by revision limit $3`,
      [stream, options.fromRevision ?? 0, boundedCount(options.maxCount)],
    );
    return rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    // Only events of transactions older than every running one: see migration 0001.
    const { rows } = await this.pool.query<EventRow>(
      `select ${EVENT_COLUMNS} from event_store.events
        where position > $1 and transaction_id < pg_snapshot_xmin(pg_current_snapshot())
        order by position limit $2`,
      [options.after.toString(), boundedCount(options.maxCount)],
    );
    return rows.map(toRecordedEvent);
  }

  async readFiltered(options: ReadFilteredOptions): Promise<FilteredPage> {
    // One statement, so one snapshot: the visibility horizon is the same for both parts.
    const { rows } = await this.pool.query<{ scanned_to: string | null; events: FilteredRow[] }>(FILTERED_SQL, [
      options.after.toString(),
      boundedCount(options.maxCount),
      options.filter.stream ?? null,
      options.filter.types ?? null,
      boundedCount(options.scanMax),
    ]);
    const events = rows[0]!.events.map((row) => toRecordedEvent({ ...row, recorded_at: new Date(row.recorded_at) }));
    const full = events.length === options.maxCount;
    const scannedTo = rows[0]!.scanned_to === null ? options.after : BigInt(rows[0]!.scanned_to);
    return { events, nextAfter: full ? events[events.length - 1]!.position : scannedTo };
  }

  async *subscribeAll(options: SubscribeAllOptions): AsyncIterable<RecordedEvent[]> {
    const batchSize = boundedCount(options.batchSizeMax ?? 500);
    let after = options.after;
    while (!options.signal.aborted) {
      const generation = this.notifier.currentGeneration;
      const page = await this.readPage(after, batchSize, options.filter);
      if (options.signal.aborted) return;
      if (page.events.length > 0) yield page.events;
      const caughtUp = options.filter ? page.nextAfter === after : page.events.length < batchSize;
      after = page.nextAfter;
      if (caughtUp) await this.notifier.waitForAppend(generation, this.pollIntervalMs, options.signal);
    }
  }

  private async readPage(after: bigint, maxCount: number, filter: EventFilter | undefined): Promise<FilteredPage> {
    if (filter) return this.readFiltered({ after, maxCount, filter, scanMax: maxCount * FILTER_SCAN_FACTOR });
    const events = await this.readAll({ after, maxCount });
    return { events, nextAfter: events.length > 0 ? events[events.length - 1]!.position : after };
  }

  async headPosition(): Promise<bigint> {
    const { rows } = await this.pool.query<{ head: string }>('select coalesce(max(position), 0) as head from event_store.events');
    return BigInt(rows[0]!.head);
  }

  async firstRecordedAfter(after: bigint): Promise<Date | undefined> {
    const { rows } = await this.pool.query<{ recorded_at: Date }>(
      'select recorded_at from event_store.events where position > $1 order by position limit 1',
      [after.toString()],
    );
    return rows[0]?.recorded_at;
  }

  async close(): Promise<void> {
    await this.notifier.close();
  }

  private appendWithIdempotency(payload: string, appends: readonly StreamAppend[], completion: IdempotencyCompletion): Promise<AppendResult> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<AppendedRow>('select * from event_store.append_events($1::jsonb)', [payload]);
      const result = toAppendResult(appends, rows);
      await completeIdempotency(client, completion, result);
      return result;
    });
  }
}

async function completeIdempotency(client: PoolClient, completion: IdempotencyCompletion, result: AppendResult): Promise<void> {
  const response = completion.response(result);
  const { rowCount } = await client.query(
    `update event_store.idempotency_keys
        set status = 'completed', response_status = $4, response_body = $5::jsonb, locked_until = null
      where scope = $1 and key = $2 and token = $3 and status = 'in_progress'`,
    [completion.scope, completion.key, completion.token, response.status, JSON.stringify(response.body)],
  );
  if (rowCount !== 1) throw new IdempotencyLeaseLostError(`Idempotency key ${completion.key} is no longer held by this request.`);
}

function toAppendPayload(append: StreamAppend): unknown {
  if (append.events.length === 0) throw new Error(`Nothing to append to ${append.stream}.`);
  return {
    stream: append.stream,
    expectedRevision: String(append.expectedRevision),
    events: append.events.map((event) => ({ ...event, id: event.id ?? uuidv7() })),
  };
}

function toAppendResult(appends: readonly StreamAppend[], rows: AppendedRow[]): AppendResult {
  // Positions are taken in the order the events were given, so sorting by position pairs
  // each row with its event.
  const written = appends.flatMap((append) => append.events);
  const sorted = [...rows].sort((a, b) => (BigInt(a.position) < BigInt(b.position) ? -1 : 1));
  const nextExpectedRevisions = new Map<string, number>();
  const events = sorted.map((row, index): RecordedEvent => {
    nextExpectedRevisions.set(row.stream, Number(row.revision));
    const { type, schemaVersion, data, metadata } = written[index]!;
    return { id: row.id, stream: row.stream, revision: Number(row.revision), position: BigInt(row.position), type, schemaVersion, data, metadata, recordedAt: row.recorded_at };
  });
  return { position: events[events.length - 1]!.position, nextExpectedRevisions, events };
}

function translateError(error: unknown, appends: readonly StreamAppend[]): unknown {
  const pgError = error as { code?: string; constraint?: string; detail?: string };
  if (pgError.code === 'ES409') {
    const { stream, actual } = JSON.parse(pgError.detail ?? '{}') as { stream: string; actual: number };
    const expected = appends.find((append) => append.stream === stream)?.expectedRevision ?? 'any';
    return new WrongExpectedRevisionError(stream, expected, actual < 0 ? 'no_stream' : actual);
  }
  if (pgError.code === '40P01' || pgError.code === '40001') {
    return new WrongExpectedRevisionError(appends[0]?.stream ?? 'unknown', appends[0]?.expectedRevision ?? 'any', 'unknown');
  }
  if (pgError.code === '23505' && pgError.constraint === 'events_id_key') {
    return new DuplicateEventIdError(`An event with one of these ids already exists: ${pgError.detail ?? ''}`);
  }
  return error;
}

