import type { ClientConfig, Pool } from 'pg';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  EventFilter,
  ExpectedRevision,
  FilteredPage,
  NewEvent,
  ReadAllOptions,
  ReadFilteredOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamAppend,
  StreamFrom,
  SubscribeAllOptions,
} from '../event-store.port';
import { APPEND_CHANNEL, AppendNotifier } from './append-notifier';
import { EVENT_COLUMNS, type EventRow, type JsonEventRow, fromJsonRow, toRecordedEvent } from './event-rows';
import { GroupCommit, type GroupCommitOptions } from './group-commit';
import { LeanRecordedEvent, leanQuery } from './lean-event-rows';
import { boundedCount } from '../read-limits';

/** A filtered subscription looks at up to this many events per event it may return. */
const FILTER_SCAN_FACTOR = 20;

/**
 * The visible prefix of the log after $1, at most $2 events: only events of transactions
 * older than every running one, so no position is ever passed over (see migration 0001).
 */
const READ_ALL_SQL = `select ${EVENT_COLUMNS} from event_store.events
   where position > $1 and transaction_id < pg_snapshot_xmin(pg_current_snapshot())
   order by position limit $2`;

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
  select (case
            -- One stream read through its index, all of it seen: every visible event up to the
            -- newest is looked at, so the next read starts there (as readAll's would).
            when $3::text is not null and (select count(*) from scanned) < $5 then
              greatest($1::bigint, (select max(position) from event_store.events where transaction_id < pg_snapshot_xmin(pg_current_snapshot())))::text
            else (select max(position)::text from scanned)
          end) as scanned_to,
         coalesce((select json_agg(row_to_json(e) order by e.position::bigint) from (
           select position::text as position, stream, revision::text as revision, id, type, schema_version, data, metadata, recorded_at
             from event_store.events where position in (select position from hits)) e), '[]'::json) as events`;

export interface PostgresEventStoreOptions {
  /** How often a live subscription re-reads when no notification arrives. */
  readonly pollIntervalMs?: number;
  readonly onError?: (error: Error) => void;
  /** Group commit: see GroupCommitOptions. */
  readonly groupCommit?: Partial<GroupCommitOptions>;
}

const GROUP_COMMIT_DEFAULTS: GroupCommitOptions = { concurrentBatches: 2, batchEventsMax: 2_000 };

/**
 * The event store on PostgreSQL: one append-only table, optimistic concurrency per stream
 * and a global position that readers never see out of order (see migration 0001).
 */
export class PostgresEventStore implements EventStore {
  private readonly notifier: AppendNotifier;
  private readonly pollIntervalMs: number;
  private readonly groupCommit: GroupCommit;

  constructor(
    private readonly pool: Pool,
    listenConfig: ClientConfig,
    options: PostgresEventStoreOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.notifier = new AppendNotifier(listenConfig, options.onError ?? (() => undefined));
    this.groupCommit = new GroupCommit(pool, { ...GROUP_COMMIT_DEFAULTS, ...options.groupCommit }, () =>
      this.notifier.announce(() => pool.query(`select pg_notify('${APPEND_CHANNEL}', '')`)),
    );
  }

  append(stream: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision, options?: AppendOptions): Promise<AppendResult> {
    return this.appendMany([{ stream, events, expectedRevision }], options);
  }

  appendMany(given: readonly StreamAppend[], options: AppendOptions = {}): Promise<AppendResult> {
    if (new Set(given.map((append) => append.stream)).size !== given.length) {
      return Promise.reject(new Error('appendMany takes each stream at most once.'));
    }
    const empty = given.find((append) => append.events.length === 0);
    if (empty || given.length === 0) return Promise.reject(new Error(`Nothing to append to ${empty?.stream ?? 'any stream'}.`));
    // Streams are locked and written in name order (see migration 0003), never in the caller's.
    const appends = [...given].sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0));
    return this.groupCommit.submit(appends, options.idempotency ?? []);
  }

  async readStream(stream: string, options: ReadStreamOptions): Promise<RecordedEvent[]> {
    const { rows } = await this.pool.query<EventRow>(
      `select ${EVENT_COLUMNS} from event_store.events where stream = $1 and revision >= $2 order by revision limit $3`,
      [stream, options.fromRevision ?? 0, boundedCount(options.maxCount)],
    );
    return rows.map(toRecordedEvent);
  }

  async readStreams(reads: readonly StreamFrom[], maxCountEach: number): Promise<RecordedEvent[][]> {
    if (reads.length === 0) return [];
    // One statement: each stream's events from its revision on, found through (stream, revision).
    const { rows } = await this.pool.query<EventRow & { read: number }>(
      `select r.read, e.* from unnest($1::text[], $2::bigint[]) with ordinality as r(stream, from_revision, read)
         cross join lateral (select ${EVENT_COLUMNS} from event_store.events
                              where stream = r.stream and revision >= r.from_revision order by revision limit $3) as e
        order by r.read, e.revision`,
      [reads.map((read) => read.stream), reads.map((read) => read.fromRevision), boundedCount(maxCountEach)],
    );
    const pages = reads.map((): RecordedEvent[] => []);
    for (const row of rows) pages[Number(row.read) - 1]!.push(toRecordedEvent(row));
    return pages;
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const { rows } = await this.pool.query<EventRow>(READ_ALL_SQL, [options.after.toString(), boundedCount(options.maxCount)]);
    return rows.map(toRecordedEvent);
  }

  /** readAll's statement, without pg's type parsers; see LeanRecordedEvent. */
  async readAllLean(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const { rows } = await this.pool.query<string[]>(leanQuery(READ_ALL_SQL, [options.after.toString(), boundedCount(options.maxCount)]));
    return rows.map((row) => new LeanRecordedEvent(row));
  }

  async readFiltered(options: ReadFilteredOptions): Promise<FilteredPage> {
    // One statement, so one snapshot: the visibility horizon is the same for both parts.
    const { rows } = await this.pool.query<{ scanned_to: string | null; events: JsonEventRow[] }>(FILTERED_SQL, [
      options.after.toString(),
      boundedCount(options.maxCount),
      options.filter.stream ?? null,
      options.filter.types ?? null,
      boundedCount(options.scanMax),
    ]);
    const events = rows[0]!.events.map(fromJsonRow);
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

  async visibleHeadPosition(): Promise<bigint> {
    // The readers' horizon: a transaction still running may commit a lower position than one already committed.
    const { rows } = await this.pool.query<{ head: string }>(
      'select coalesce(max(position), 0) as head from event_store.events where transaction_id < pg_snapshot_xmin(pg_current_snapshot())',
    );
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
}
