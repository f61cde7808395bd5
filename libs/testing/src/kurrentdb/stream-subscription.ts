import { ReadResp } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_pb';
import { now, toReadResponse, type UuidFormat } from './conversions';
import type { EventLog } from './event-log';
import type { LoggedEvent } from './log-records';

/** Where a stream subscription starts: before the first event, after the last one, or after a revision. */
export type StreamSubscriptionStart = 'start' | 'end' | bigint;

/**
 * A subscription to one stream: confirmation, the stream's events after the start revision (exclusive),
 * `caught_up`, then the stream's new events as they are appended. A missing stream is waited for.
 */
export function subscribeToStream(
  log: EventLog,
  send: (response: ReadResp) => void,
  name: string,
  start: StreamSubscriptionStart,
  uuidFormat: UuidFormat,
  subscriptionId: string,
): () => void {
  const existing = log.stream(name) ?? [];
  let revision = start === 'start' ? -1n : start === 'end' ? BigInt(existing.length - 1) : start;
  const sendEvent = (event: LoggedEvent) => {
    revision = event.revision;
    send(toReadResponse(event, uuidFormat, false));
  };
  send(new ReadResp().setConfirmation(new ReadResp.SubscriptionConfirmation().setSubscriptionId(subscriptionId)));
  existing.filter((event) => event.revision > revision).forEach(sendEvent);
  const caughtUp = new ReadResp.CaughtUp().setTimestamp(now());
  if (revision >= 0n) caughtUp.setStreamRevision(revision.toString());
  send(new ReadResp().setCaughtUp(caughtUp));
  return log.onAppend((events) => events.filter((event) => event.stream === name && event.revision > revision).forEach(sendEvent));
}
