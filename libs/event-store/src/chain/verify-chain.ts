import type { Pool } from 'pg';
import type { EventMetadata } from '../event-store.port';
import { type ChainBreak, StreamChain, type StoredChainEvent } from './stream-chain';
import { type StreamHeads, StreamHeadsDigest } from './stream-heads';

const PAGE_SIZE_DEFAULT = 1_000;
const BROKEN_MAX_DEFAULT = 1_000;

export interface VerifyChainOptions {
  readonly pool: Pool;
  /** Events read per query (default 1,000). */
  readonly pageSize?: number;
  /** Broken streams listed at most (default 1,000); all are counted. */
  readonly brokenMax?: number;
  /**
   * The position the stream heads' digest is taken at. Default: the last position before
   * which every append has ended, as the walk starts, so that the digest is stable.
   */
  readonly headsAt?: bigint;
  /** After every page: events read so far, and the events the log held as the walk started. */
  readonly onProgress?: (done: bigint, total: bigint) => void;
}

export interface ChainReport {
  /** event_store.chain_start: events at or below this position were written before the chain and may have no hash. */
  readonly lastUnchainedPosition: bigint;
  readonly streams: number;
  /** Every event read. */
  readonly events: number;
  /** Events accepted without a hash, written before the chain started. */
  readonly eventsBeforeChain: number;
  /** Streams with a break. */
  readonly brokenCount: number;
  /** The first break of each broken stream, in stream order, up to `brokenMax`. */
  readonly broken: readonly ChainBreak[];
  readonly heads: StreamHeads;
}

interface ChainRow {
  stream: string;
  revision: string;
  position: string;
  id: string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: EventMetadata;
  recorded_us: string;
  hash: Buffer | null;
}

interface ChainWalk {
  readonly digest: StreamHeadsDigest;
  readonly broken: ChainBreak[];
  current: StreamChain | undefined;
  /** The current stream's last event at or below the digest's position. */
  head: { revision: number; hash: Buffer | null } | undefined;
  streams: number;
  events: number;
  eventsBeforeChain: number;
  brokenCount: number;
}

/**
 * Checks the hash chain of the PostgreSQL event store (migration 0009): walks every stream
 * in revision order, in pages by `(stream, revision)`, recomputes each event's content hash
 * and link in Node and compares them with the stored hash. Reports each broken stream's
 * first broken event, and a digest of every stream's head to record and compare later
 * (which catches what the chain alone cannot: a stream cut short, or every hash recomputed).
 * Keeps one page and one stream's state in memory.
 */
export async function verifyEventChain(options: VerifyChainOptions): Promise<ChainReport> {
  const start = await chainStart(options.pool);
  const walk: ChainWalk = {
    digest: new StreamHeadsDigest(start.lastUnchainedPosition, options.headsAt ?? start.settledHead),
    broken: [],
    current: undefined,
    head: undefined,
    streams: 0,
    events: 0,
    eventsBeforeChain: 0,
    brokenCount: 0,
  };
  const brokenMax = options.brokenMax ?? BROKEN_MAX_DEFAULT;
  const pageSize = options.pageSize ?? PAGE_SIZE_DEFAULT;
  let after: { stream: string; revision: string } | null = null;
  for (;;) {
    const rows = await readPage(options.pool, pageSize, after);
    for (const row of rows) visit(walk, row, start.lastUnchainedPosition, brokenMax);
    options.onProgress?.(BigInt(walk.events), start.total > walk.events ? BigInt(start.total) : BigInt(walk.events));
    if (rows.length < pageSize) break;
    after = rows[rows.length - 1]!;
  }
  endStream(walk);
  const { streams, events, eventsBeforeChain, brokenCount, broken } = walk;
  return { lastUnchainedPosition: start.lastUnchainedPosition, streams, events, eventsBeforeChain, brokenCount, broken, heads: walk.digest.result() };
}

async function chainStart(pool: Pool): Promise<{ lastUnchainedPosition: bigint; settledHead: bigint; total: number }> {
  // The last position of a transaction older than every running one: by migration 0001's
  // rule, every smaller position has committed or rolled back, so the heads up to it are final.
  const { rows } = await pool.query<{ last_unchained: string | null; settled_head: string | null; total: string }>(
    `select (select last_unchained_position from event_store.chain_start)::text as last_unchained,
            (select position from event_store.events
              where transaction_id < pg_snapshot_xmin(pg_current_snapshot()) order by position desc limit 1)::text as settled_head,
            (select count(*) from event_store.events)::text as total`,
  );
  const row = rows[0]!;
  if (row.last_unchained === null) throw new Error('event_store.chain_start is empty: migration 0009 did not run here.');
  return { lastUnchainedPosition: BigInt(row.last_unchained), settledHead: BigInt(row.settled_head ?? '0'), total: Number(row.total) };
}

async function readPage(pool: Pool, pageSize: number, after: { stream: string; revision: string } | null): Promise<ChainRow[]> {
  // The row comparison keeps each page one range of the (stream, revision) index. Columns are
  // named with the table's alias: a bare "revision" in order by would be the text output column.
  const { rows } = await pool.query<ChainRow>(
    `select e.stream, e.revision::text as revision, e.position::text as position, e.id, e.type, e.schema_version, e.data, e.metadata,
            (extract(epoch from e.recorded_at) * 1000000)::bigint::text as recorded_us, e.hash
       from event_store.events e
      ${after === null ? '' : 'where (e.stream, e.revision) > ($2, $3::bigint)'}
      order by e.stream, e.revision limit $1`,
    after === null ? [pageSize] : [pageSize, after.stream, after.revision],
  );
  return rows;
}

function visit(walk: ChainWalk, row: ChainRow, lastUnchainedPosition: bigint, brokenMax: number): void {
  if (walk.current?.stream !== row.stream) {
    endStream(walk);
    walk.current = new StreamChain(row.stream, lastUnchainedPosition);
    walk.streams += 1;
  }
  const event = toStoredEvent(row);
  walk.events += 1;
  if (walk.digest.covers(event.position)) walk.head = { revision: event.revision, hash: event.hash };
  const found = walk.current.check(event);
  if (!found) return;
  walk.brokenCount += 1;
  if (walk.broken.length < brokenMax) walk.broken.push(found);
}

function endStream(walk: ChainWalk): void {
  if (walk.current === undefined) return;
  walk.eventsBeforeChain += walk.current.unchainedEvents;
  if (walk.head) walk.digest.add(walk.current.stream, walk.head.revision, walk.head.hash);
  walk.current = undefined;
  walk.head = undefined;
}

function toStoredEvent(row: ChainRow): StoredChainEvent {
  return {
    stream: row.stream,
    id: row.id,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    revision: Number(row.revision),
    position: BigInt(row.position),
    recordedAtMicros: BigInt(row.recorded_us),
    hash: row.hash,
  };
}
