import { type Filter, type Position, START, eventTypeFilter, excludeSystemEvents, streamNameFilter } from '@kurrent/kurrentdb-client';
import type { EventFilter, RecordedEvent } from '../event-store.port';

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The server-side filter of a read of `$all`: one stream by exact name, else some event types,
 * else every event but the server's own (types starting with `$`). KurrentDB takes one filter
 * per read, so a filter on both a stream and types leaves the types to `matchesTypes`.
 */
export function serverFilter(filter: EventFilter | undefined): Filter {
  if (filter?.stream !== undefined) return streamNameFilter({ regex: `^${escapeRegex(filter.stream)}$` });
  if (filter?.types !== undefined) return eventTypeFilter({ regex: `^(${filter.types.map(escapeRegex).join('|')})$` });
  return excludeSystemEvents();
}

/** Whether an event passes the part of the filter the server did not apply. */
export function matchesTypes(filter: EventFilter | undefined, event: RecordedEvent): boolean {
  return filter?.stream === undefined || filter.types === undefined || filter.types.includes(event.type);
}

/** Where a read of `$all` starts for the port's exclusive `after`; the server's start is inclusive. */
export function startAt(after: bigint): Position | typeof START {
  return after === 0n ? START : { commit: after, prepare: after };
}
