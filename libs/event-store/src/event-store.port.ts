/** What an append expects of the stream: its last revision, that it does not exist, or nothing. */
export type ExpectedRevision = number | 'no_stream' | 'any';

/** Audit and tracing fields every event carries, plus anything the caller adds. */
export interface EventMetadata {
  readonly correlationId: string;
  readonly causationId: string;
  readonly idempotencyKey?: string;
  readonly [key: string]: unknown;
}

export interface NewEvent {
  /** Unique event id; the store assigns a time-ordered UUID when absent. */
  readonly id?: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: EventMetadata;
}

export interface RecordedEvent {
  readonly id: string;
  readonly stream: string;
  /** 0-based index of the event in its stream. */
  readonly revision: number;
  /** Global order of the event in the whole log; gaps are allowed, reordering is not. */
  readonly position: bigint;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: EventMetadata;
  readonly recordedAt: Date;
}

export interface StreamAppend {
  readonly stream: string;
  readonly events: readonly NewEvent[];
  readonly expectedRevision: ExpectedRevision;
}

export interface AppendResult {
  /** Position of the last event written. */
  readonly position: bigint;
  /** The revision each stream now ends at, by stream name. */
  readonly nextExpectedRevisions: ReadonlyMap<string, number>;
  readonly events: readonly RecordedEvent[];
}

/** A response to keep under an idempotency key, written atomically with the events. */
export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
}

export interface IdempotencyCompletion {
  readonly scope: string;
  readonly key: string;
  /** Proof that this caller still holds the key; see IdempotencyStore.claim. */
  readonly token: string;
  readonly response: (result: AppendResult) => StoredResponse;
}

export interface AppendOptions {
  /** Keys completed in the append's transaction: one per command the append carries. */
  readonly idempotency?: readonly IdempotencyCompletion[];
}

export interface ReadStreamOptions {
  readonly fromRevision?: number;
  readonly maxCount: number;
}

/** One stream's part of a readStreams call: its events from `fromRevision` on. */
export interface StreamFrom {
  readonly stream: string;
  readonly fromRevision: number;
}

export interface ReadAllOptions {
  /** Exclusive: events after this position; 0n reads from the start. */
  readonly after: bigint;
  readonly maxCount: number;
}

/** Which events a filtered read returns: one stream, and/or some types. */
export interface EventFilter {
  readonly stream?: string;
  readonly types?: readonly string[];
}

export interface ReadFilteredOptions extends ReadAllOptions {
  readonly filter: EventFilter;
  /** Most events looked at (matching or not) in one read: bounds the work of a sparse filter. */
  readonly scanMax: number;
}

export interface FilteredPage {
  readonly events: RecordedEvent[];
  /**
   * Where the next read starts: the last event returned when the page is full, else the last
   * event looked at (for one stream read to its end: the newest event of the log). Events the
   * filter passed over are never read again.
   */
  readonly nextAfter: bigint;
}

export interface SubscribeAllOptions {
  readonly after: bigint;
  readonly batchSizeMax?: number;
  readonly filter?: EventFilter;
  readonly signal: AbortSignal;
}

/**
 * The event store port. Adapters: PostgreSQL (default) and KurrentDB. Every
 * adapter passes the shared contract suite in libs/testing.
 */
export interface EventStore {
  /** Appends atomically if the stream is at `expectedRevision`, else throws WrongExpectedRevisionError. */
  append(stream: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision, options?: AppendOptions): Promise<AppendResult>;
  /** Appends to several streams atomically: all of them or none. */
  appendMany(appends: readonly StreamAppend[], options?: AppendOptions): Promise<AppendResult>;
  readStream(stream: string, options: ReadStreamOptions): Promise<RecordedEvent[]>;
  /**
   * Optional, for writers that catch up many streams at once: for each read, in order, what
   * readStream would return for it with `maxCountEach`, in one round trip. An adapter with no
   * cheaper form leaves it out, and its callers read the streams one by one.
   */
  readStreams?(reads: readonly StreamFrom[], maxCountEach: number): Promise<RecordedEvent[][]>;
  /** Reads the global log in position order, never returning an event after one not yet committed. */
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  /**
   * Optional, for bulk readers such as the projector: the same events as readAll, cheaper to
   * produce, with `metadata` and `recordedAt` perhaps decoded only when first read. An adapter
   * with no cheaper form leaves it out, and its callers use readAll.
   */
  readAllLean?(options: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Like readAll, keeping only the events the filter matches (same ordering guarantee). */
  readFiltered(options: ReadFilteredOptions): Promise<FilteredPage>;
  /**
   * Catch-up then live: every event after `after`, once, in position order, in non-empty
   * batches of at most `batchSizeMax`, until the signal aborts.
   */
  subscribeAll(options: SubscribeAllOptions): AsyncIterable<RecordedEvent[]>;
  /** The position of the last event appended (perhaps not yet visible to readers); 0n for an empty log. */
  headPosition(): Promise<bigint>;
  /**
   * Optional: the newest position readers see now, such that every event that becomes visible
   * later has a higher one (below headPosition while an older append is still committing). An
   * adapter whose positions are given at commit leaves it out: its headPosition is that already.
   */
  visibleHeadPosition?(): Promise<bigint>;
  /** When the first event after `after` was recorded, visible to readers yet or not; undefined when there is none. */
  firstRecordedAfter(after: bigint): Promise<Date | undefined>;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EVENT_STORE');
