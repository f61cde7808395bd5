import { ReadReq } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_pb';
import type { LoggedEvent } from './log-records';

/** Decides whether an event passes a $all read's or subscription's server-side filter. */
export type EventFilter = (event: LoggedEvent) => boolean;

/** Events the server scans per filtered page when the request names no window (`count`). */
export const DEFAULT_SEARCH_WINDOW = 32;

/** A filter from a read request: on stream name or event type, by prefixes or by a regular expression. */
export interface FilterSettings {
  readonly matches: EventFilter;
  /** Events scanned per page (the `max` window), {@link DEFAULT_SEARCH_WINDOW} when the request sent `count`. */
  readonly searchWindow: number;
  readonly checkpointIntervalMultiplier: number;
}

/** Reads the filter of a request, or undefined for `no_filter`. */
export function filterFrom(options: ReadReq.Options): FilterSettings | undefined {
  if (!options.hasFilter()) return undefined;
  const filter = options.getFilter()!;
  const onStream = filter.hasStreamIdentifier();
  const expression = onStream ? filter.getStreamIdentifier()! : filter.getEventType()!;
  const field = (event: LoggedEvent) => (onStream ? event.stream : event.type);
  return {
    matches: expressionMatcher(expression, field),
    searchWindow: filter.hasMax() ? filter.getMax() : DEFAULT_SEARCH_WINDOW,
    checkpointIntervalMultiplier: filter.getCheckpointintervalmultiplier(),
  };
}

function expressionMatcher(
  expression: ReadReq.Options.FilterOptions.Expression,
  field: (event: LoggedEvent) => string,
): EventFilter {
  const regex = expression.getRegex();
  if (regex !== '') {
    const compiled = new RegExp(regex);
    return (event) => compiled.test(field(event));
  }
  const prefixes = expression.getPrefixList();
  return (event) => prefixes.some((prefix) => field(event).startsWith(prefix));
}
