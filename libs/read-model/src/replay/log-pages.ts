import type { EventStore, RecordedEvent } from '@wallet/event-store';

/**
 * The event log after `after` up to `until`, in position order, a page of at most `pageSize`
 * events at a time (the last one cut at `until`): how the read side replays the log, for a
 * check or for totals at a position, without holding more than a page.
 */
export async function* logPages(store: EventStore, after: bigint, until: bigint, pageSize: number): AsyncGenerator<readonly RecordedEvent[]> {
  let from = after;
  while (from < until) {
    // Positions are distinct, so no more than until - from events lie in the range.
    const page = await store.readAll({ after: from, maxCount: until - from < BigInt(pageSize) ? Number(until - from) : pageSize });
    if (page.length === 0) return;
    from = page[page.length - 1]!.position;
    yield from > until ? page.filter((recorded) => recorded.position <= until) : page;
  }
}
