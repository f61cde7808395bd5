import { ReadReq, ReadResp } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_pb';
import { comparePositions, type LogPosition, positionOf, streamIdentifier, toReadResponse, type UuidFormat } from './conversions';
import type { EventFilter } from './event-filter';
import type { EventLog } from './event-log';
import type { LoggedEvent } from './log-records';

const { ReadDirection } = ReadReq.Options;

/** A bounded read of one stream, as `Streams.Read` answers it: events, or a single `stream_not_found`. */
export function readStream(log: EventLog, options: ReadReq.Options, uuidFormat: UuidFormat): ReadResp[] {
  const streamOptions = options.getStream()!;
  const name = Buffer.from(streamOptions.getStreamIdentifier()!.getStreamName_asU8()).toString('utf8');
  const stream = log.stream(name);
  if (!stream) return [new ReadResp().setStreamNotFound(new ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(name)))];

  const count = BigInt(options.getCount());
  const forwards = options.getReadDirection() === ReadDirection.FORWARDS;
  const last = BigInt(stream.length - 1);
  // From the end: backwards starts at the last event; forwards has nothing left to read.
  const from = streamOptions.hasRevision() ? BigInt(streamOptions.getRevision()) : streamOptions.hasEnd() ? last + (forwards ? 1n : 0n) : 0n;
  const selected = forwards
    ? stream.filter((event) => event.revision >= from)
    : stream.filter((event) => event.revision <= from).reverse();
  const responses = take(selected, count).map((event) => toReadResponse(event, uuidFormat, false));
  // Clients that declare compatibility level 1 (the Rust bridge does) are told where the stream ends.
  if (forwards && (options.getControlOption()?.getCompatibility() ?? 0) >= 1) {
    responses.push(new ReadResp().setLastStreamPosition(last.toString()));
  }
  return responses;
}

/** A bounded read of $all, forwards or backwards, optionally filtered. */
export function readAll(log: EventLog, options: ReadReq.Options, uuidFormat: UuidFormat, filter: EventFilter | undefined): ReadResp[] {
  const allOptions = options.getAll()!;
  const forwards = options.getReadDirection() === ReadDirection.FORWARDS;
  const from = allOptions.hasPosition() ? positionFrom(allOptions.getPosition()!) : undefined;
  const events = log.events();
  const selected = forwards
    ? allOptions.hasEnd()
      ? []
      : events.filter((event) => from === undefined || comparePositions(positionOf(event), from) >= 0)
    : allOptions.hasStart()
      ? []
      : events.filter((event) => from === undefined || comparePositions(postPosition(event), from) <= 0).reverse();
  const matching = filter ? selected.filter(filter) : selected;
  return take(matching, BigInt(options.getCount())).map((event) => toReadResponse(event, uuidFormat, true));
}

/** The position a request names. */
export function positionFrom(position: ReadReq.Options.Position): LogPosition {
  return { commit: BigInt(position.getCommitPosition()), prepare: BigInt(position.getPreparePosition()) };
}

/**
 * Where a record ends: a backwards read from a position returns the records that end at or before it,
 * so the event at exactly that position is not included (the forwards read includes it).
 */
function postPosition(event: LoggedEvent): LogPosition {
  const end = event.position + BigInt(event.size);
  return { commit: end, prepare: end };
}

function take<T>(items: readonly T[], count: bigint): T[] {
  return count >= BigInt(items.length) ? [...items] : items.slice(0, Number(count));
}
