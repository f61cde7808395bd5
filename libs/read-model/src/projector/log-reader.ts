import type { EventStore, RecordedEvent } from '@wallet/event-store';

/** Reads up to `maxCount` events after `after`, in position order, never past one not yet visible. */
export interface LogReader {
  /** `lean` uses the store's readAllLean; `full` its readAll. */
  readonly kind: 'lean' | 'full';
  read(after: bigint, maxCount: number): Promise<RecordedEvent[]>;
}

/**
 * The projector's read of the log: the store's lean read where it has one (the projector
 * reads the envelope and `data` of every event, the rest only for a batch listener), else
 * its plain readAll.
 */
export function logReaderFor(store: EventStore): LogReader {
  const lean = store.readAllLean?.bind(store);
  if (lean) return { kind: 'lean', read: (after, maxCount) => lean({ after, maxCount }) };
  return { kind: 'full', read: (after, maxCount) => store.readAll({ after, maxCount }) };
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
