import { checkIdempotency, type WriteDecision } from './idempotency';
import type { LoggedEvent, ProposedEvent, StreamWrite, WriteOutcome } from './log-records';

/** Fixed part of a prepare record in the log (headers, ids, timestamp, length prefixes). */
const RECORD_OVERHEAD = 94;
/** Where the first event goes: the log starts with a chunk header and an epoch record. */
const FIRST_EVENT_POSITION = 184n;
const TICKS_PER_MS = 10_000n;

/**
 * The double's transaction log: one ordered list of events ($all) with per-stream indexes. Appends are
 * atomic (all streams of a write or none) and announced synchronously to live listeners, so readers
 * never see gaps or reordering.
 */
export class EventLog {
  private readonly all: LoggedEvent[] = [];
  private readonly streams = new Map<string, LoggedEvent[]>();
  private readonly listeners = new Set<(events: readonly LoggedEvent[]) => void>();
  private nextPosition = FIRST_EVENT_POSITION;

  /** Every event in log order. */
  events(): readonly LoggedEvent[] {
    return this.all;
  }

  /** The events of one stream by revision, or undefined when the stream does not exist. */
  stream(name: string): readonly LoggedEvent[] | undefined {
    return this.streams.get(name);
  }

  /** Position of the last event, or undefined for an empty log. */
  lastPosition(): bigint | undefined {
    return this.all.at(-1)?.position;
  }

  /** Index in `events()` of the first event at or after `position`. */
  indexAtOrAfter(position: bigint): number {
    let low = 0;
    let high = this.all.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.all[mid].position < position) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Registers a listener called with each batch of newly written events; returns its removal. */
  onAppend(listener: (events: readonly LoggedEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Writes all `writes` atomically: every stream's expected revision is checked first (with the
   * server's idempotency rules), then all events are written, or none.
   */
  write(writes: readonly StreamWrite[]): WriteOutcome {
    const decisions: WriteDecision[] = writes.map((write) => checkIdempotency(write, this.streams.get(write.stream) ?? []));
    const refused = decisions.findIndex((decision) => decision.kind === 'conflict');
    const idempotent = decisions.filter((decision) => decision.kind === 'idempotent').length;
    if (refused < 0 && idempotent > 0 && idempotent < decisions.length) {
      // Part of the write was already committed and part was not: the server treats that as a conflict.
      const first = decisions.findIndex((decision) => decision.kind === 'idempotent');
      return this.conflict(writes[first]);
    }
    if (refused >= 0) return this.conflict(writes[refused]);
    if (idempotent > 0) return this.repeated(decisions);

    const written = writes.flatMap((write) => this.stage(write));
    for (const event of written) this.commit(event);
    if (written.length > 0) for (const listener of [...this.listeners]) listener(written);
    return {
      kind: 'written',
      streams: writes.map((write) => ({ stream: write.stream, lastRevision: this.lastRevision(write.stream) })),
      position: written.at(-1)?.position,
    };
  }

  /** Writes events as the server itself would (system streams), with no expected-revision check. */
  writeSystem(stream: string, events: readonly ProposedEvent[]): void {
    this.write([{ stream, expected: 'any', events }]);
  }

  private lastRevision(stream: string): bigint {
    return BigInt((this.streams.get(stream)?.length ?? 0) - 1);
  }

  private conflict(write: StreamWrite): WriteOutcome {
    return { kind: 'conflict', stream: write.stream, expected: write.expected, actual: this.lastRevision(write.stream) };
  }

  private repeated(decisions: readonly WriteDecision[]): WriteOutcome {
    const originals = decisions.flatMap((decision) => (decision.kind === 'idempotent' ? [decision.original] : []));
    return {
      kind: 'written',
      streams: originals.map((event) => ({ stream: event.stream, lastRevision: event.revision })),
      position: originals.reduce((max, event) => (event.position > max ? event.position : max), 0n),
    };
  }

  private stage(write: StreamWrite): LoggedEvent[] {
    let revision = this.lastRevision(write.stream);
    const created = BigInt(Date.now()) * TICKS_PER_MS;
    return write.events.map((event) => {
      const size = recordSize(write.stream, event);
      const logged: LoggedEvent = { ...event, stream: write.stream, revision: ++revision, created, position: this.nextPosition, size };
      this.nextPosition += BigInt(size);
      return logged;
    });
  }

  private commit(event: LoggedEvent): void {
    this.all.push(event);
    const stream = this.streams.get(event.stream);
    if (stream) stream.push(event);
    else this.streams.set(event.stream, [event]);
  }
}

/** Size of a prepare record: fixed headers plus the stream name, event type, data and metadata. */
function recordSize(stream: string, event: ProposedEvent): number {
  return RECORD_OVERHEAD + Buffer.byteLength(stream) + Buffer.byteLength(event.type) + event.data.length + event.metadata.length;
}
