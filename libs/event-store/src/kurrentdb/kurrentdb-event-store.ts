import {
  type AppendStreamRequest,
  type AppendStreamState,
  type KurrentDBClient,
  type MultiAppendResult,
  WrongExpectedVersionError,
  excludeSystemEvents,
} from '@kurrent/kurrentdb-client';
import { IdempotencyAnswerUnsavedError, WrongExpectedRevisionError } from '../event-store.errors';
import { boundedCount } from '../read-limits';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  ExpectedRevision,
  FilteredPage,
  NewEvent,
  ReadAllOptions,
  ReadFilteredOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamAppend,
  SubscribeAllOptions,
} from '../event-store.port';
import type { IdempotencyStore } from '../idempotency.port';
import { toEventData, toRecordedEvent } from './kurrentdb-events';
import { matchesTypes, serverFilter, startAt } from './kurrentdb-filters';
import { KurrentDbReads } from './kurrentdb-reads';

/**
 * The event store on KurrentDB (EventStoreDB): streams and revisions are the server's own,
 * positions are `$all` commit positions. Appends go through the multi-stream append of
 * KurrentDB 25.1 and later, so one command's streams are written all or none.
 *
 * The idempotency record stays in PostgreSQL and is completed right after the append, not in
 * the same transaction (see docs/event-stores.md).
 */
export class KurrentDbEventStore implements EventStore {
  private readonly reads: KurrentDbReads;

  constructor(
    private readonly client: KurrentDBClient,
    private readonly idempotency: Pick<IdempotencyStore, 'complete'>,
  ) {
    this.reads = new KurrentDbReads(client);
  }

  append(stream: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision, options?: AppendOptions): Promise<AppendResult> {
    return this.appendMany([{ stream, events, expectedRevision }], options);
  }

  async appendMany(appends: readonly StreamAppend[], options: AppendOptions = {}): Promise<AppendResult> {
    if (new Set(appends.map((append) => append.stream)).size !== appends.length) {
      throw new Error('appendMany takes each stream at most once.');
    }
    const requests = appends.map(toAppendRequest);
    let appended: MultiAppendResult;
    try {
      appended = await this.client.multiStreamAppend(requests);
    } catch (error) {
      throw translateError(error, appends);
    }
    const result = await this.readBack(requests, appended);
    for (const completion of options.idempotency ?? []) {
      try {
        await this.idempotency.complete(completion.scope, completion.key, completion.token, completion.response(result));
      } catch (error) {
        throw new IdempotencyAnswerUnsavedError(completion.key, error);
      }
    }
    return result;
  }

  readStream(stream: string, options: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.reads.stream({ stream, fromRevision: BigInt(options.fromRevision ?? 0), maxCount: boundedCount(options.maxCount) });
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    return (await this.scan(options.after, boundedCount(options.maxCount), undefined)).events;
  }

  async readFiltered(options: ReadFilteredOptions): Promise<FilteredPage> {
    // The server scans as far as it must; everything up to the head seen before the read is covered.
    const head = await this.headPosition();
    const clientSide = options.filter.stream !== undefined && options.filter.types !== undefined;
    const count = clientSide ? boundedCount(options.scanMax) : boundedCount(options.maxCount);
    const scanned = await this.scan(options.after, count, options.filter);
    const kept = scanned.events.filter((event) => matchesTypes(options.filter, event)).slice(0, options.maxCount);
    if (kept.length === options.maxCount) return { events: kept, nextAfter: kept[kept.length - 1]!.position };
    const last = scanned.events.at(-1)?.position ?? options.after;
    return { events: kept, nextAfter: scanned.complete ? maxOf(last, head, options.after) : last };
  }

  async *subscribeAll(options: SubscribeAllOptions): AsyncIterable<RecordedEvent[]> {
    const batchSize = boundedCount(options.batchSizeMax ?? 500);
    const subscription = this.client.subscribeToAll({ fromPosition: startAt(options.after), filter: serverFilter(options.filter) });
    const stop = (): void => void subscription.unsubscribe().finally(() => subscription.destroy());
    options.signal.addEventListener('abort', stop, { once: true });
    try {
      let batch: RecordedEvent[] = [];
      for await (const resolved of subscription) {
        if (options.signal.aborted) return;
        const event = toRecordedEvent(resolved);
        if (event && event.position > options.after && matchesTypes(options.filter, event)) batch.push(event);
        if (batch.length > 0 && (batch.length >= batchSize || subscription.readableLength === 0)) {
          yield batch;
          batch = [];
        }
      }
    } catch (error) {
      if (!options.signal.aborted) throw error;
    } finally {
      options.signal.removeEventListener('abort', stop);
      if (!options.signal.aborted) stop();
    }
  }

  /** The position of the last event in the log that is not the server's own; 0 when there is none. */
  async headPosition(): Promise<bigint> {
    const [last] = await this.reads.all({ from: 'end', backwards: true, maxCount: 1, filter: excludeSystemEvents() });
    return last?.position ?? 0n;
  }

  async firstRecordedAfter(after: bigint): Promise<Date | undefined> {
    return (await this.scan(after, 1, undefined)).events[0]?.recordedAt;
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  /** Up to `count` events after `after` that the filter passes, and whether the log ended first. */
  private async scan(after: bigint, count: number, filter: ReadFilteredOptions['filter'] | undefined): Promise<{ events: RecordedEvent[]; complete: boolean }> {
    // The start is inclusive, so one more is read in case the first is `after` itself.
    const read = await this.reads.all({ from: startAt(after), maxCount: count + 1, filter: serverFilter(filter) });
    const events = read.filter((event) => event.position > after).slice(0, count);
    return { events, complete: read.length < count + 1 };
  }

  /** The events just written, with the positions and times the server gave them. */
  private async readBack(requests: AppendStreamRequest[], appended: MultiAppendResult): Promise<AppendResult> {
    const lastRevisions = new Map(appended.responses.map((response) => [response.streamName, Number(response.revision)]));
    const written = await Promise.all(requests.map((request) => {
      const from = lastRevisions.get(request.streamName)! - (request.events.length - 1);
      return this.readStream(request.streamName, { fromRevision: from, maxCount: request.events.length });
    }));
    const events = written.flat().sort((a, b) => (a.position < b.position ? -1 : 1));
    const nextExpectedRevisions = new Map(written.map((stream) => [stream[0]!.stream, stream.at(-1)!.revision]));
    return { position: events.at(-1)!.position, nextExpectedRevisions, events };
  }
}

function toAppendRequest(append: StreamAppend): AppendStreamRequest {
  if (append.events.length === 0) throw new Error(`Nothing to append to ${append.stream}.`);
  return { streamName: append.stream, expectedState: toStreamState(append.expectedRevision), events: append.events.map(toEventData) };
}

function toStreamState(expected: ExpectedRevision): AppendStreamState {
  return typeof expected === 'number' ? BigInt(expected) : expected;
}

function translateError(error: unknown, appends: readonly StreamAppend[]): unknown {
  if (!(error instanceof WrongExpectedVersionError)) return error;
  const expected = appends.find((append) => append.stream === error.streamName)?.expectedRevision ?? 'any';
  const actual = typeof error.actualState === 'bigint' ? Number(error.actualState) : 'no_stream';
  return new WrongExpectedRevisionError(error.streamName, expected, actual);
}

function maxOf(...values: bigint[]): bigint {
  return values.reduce((max, value) => (value > max ? value : max));
}

