import { type EventMetadata, type EventStore, PostgresEventStore, type RecordedEvent } from '@wallet/event-store';
import { boundedCount } from '@wallet/event-store/read-limits';
import { type Pool, type QueryArrayConfig, types } from 'pg';

/** Reads up to `maxCount` events after `after`, in position order, never past one not yet visible. */
export interface LogReader {
  /** `direct` reads `event_store.events` on the projector's own pool; `port` goes through the event store. */
  readonly kind: 'direct' | 'port';
  read(after: bigint, maxCount: number): Promise<RecordedEvent[]>;
}

/**
 * The projector's read of the log. A PostgreSQL event store that reads the projector's own
 * pool is read directly, with the store's query and visibility rule but a leaner decoding
 * (no type parsers, metadata and recording time decoded only if asked for); any other store
 * is read through its port.
 */
export function logReaderFor(store: EventStore, pool: Pool): LogReader {
  // Only the very same pool proves the same database; for anything else the port is used.
  if (store instanceof PostgresEventStore && store.readsFrom(pool)) return { kind: 'direct', read: (after, maxCount) => readDirect(pool, after, maxCount) };
  return { kind: 'port', read: (after, maxCount) => store.readAll({ after, maxCount }) };
}

const raw = (value: string): string => value;

/**
 * The same statement as PostgresEventStore.readAll: only events of transactions older than
 * every running one (migration 0001), so no position is ever passed over. Every column comes
 * back as the server's text.
 */
const READ_SQL = `select position, stream, revision, id, type, schema_version, data, metadata, recorded_at from event_store.events
   where position > $1 and transaction_id < pg_snapshot_xmin(pg_current_snapshot())
   order by position limit $2`;

async function readDirect(pool: Pool, after: bigint, maxCount: number): Promise<RecordedEvent[]> {
  const query: QueryArrayConfig = { text: READ_SQL, values: [after.toString(), boundedCount(maxCount)], rowMode: 'array', types: { getTypeParser: () => raw } };
  const { rows } = await pool.query<string[]>(query);
  return rows.map((row) => new StoredEvent(row));
}

/**
 * A row of the log as a RecordedEvent. The projector reads only the envelope and `data`, so
 * `metadata` and `recordedAt` stay text until a batch listener asks for them.
 */
class StoredEvent implements RecordedEvent {
  readonly position: bigint;
  readonly stream: string;
  readonly revision: number;
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly #metadataText: string;
  readonly #recordedAtText: string;
  #metadata: EventMetadata | undefined;

  constructor(row: readonly string[]) {
    this.position = BigInt(row[0]!);
    this.stream = row[1]!;
    this.revision = Number(row[2]);
    this.id = row[3]!;
    this.type = row[4]!;
    this.schemaVersion = Number(row[5]);
    this.data = JSON.parse(row[6]!);
    this.#metadataText = row[7]!;
    this.#recordedAtText = row[8]!;
  }

  get metadata(): EventMetadata {
    return (this.#metadata ??= JSON.parse(this.#metadataText) as EventMetadata);
  }

  /** Parsed as pg parses timestamptz for PostgresEventStore.readAll. */
  get recordedAt(): Date {
    return types.getTypeParser(types.builtins.TIMESTAMPTZ, 'text')(this.#recordedAtText) as Date;
  }
}

/** Reads the log page after page, each next page while the caller applies the current one. */
export class PagePrefetcher {
  private pending: Promise<RecordedEvent[]> | undefined;

  constructor(
    private readonly reader: LogReader,
    private after: bigint,
    private readonly maxCount: number,
  ) {}

  /** The page after the last one returned, and the read of the one after it started. */
  async next(): Promise<RecordedEvent[]> {
    const page = await (this.pending ?? this.reader.read(this.after, this.maxCount));
    this.pending = undefined;
    if (page.length > 0) {
      this.after = page[page.length - 1]!.position;
      const pending = this.reader.read(this.after, this.maxCount);
      // Awaited by the next call, if there is one; a failure then surfaces there.
      pending.catch(() => undefined);
      this.pending = pending;
    }
    return page;
  }
}
