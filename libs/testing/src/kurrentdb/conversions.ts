import { Empty, StreamIdentifier, UUID } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/shared_pb';
import { ReadResp } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_pb';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import type { LoggedEvent } from './log-records';

/** A position in the log as the server orders it: by commit position, then by prepare position. */
export interface LogPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

/** Compares two positions the way the server's TFPos does. */
export function comparePositions(a: LogPosition, b: LogPosition): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** The position of an event (commit == prepare: the double writes no explicit transactions). */
export function positionOf(event: LoggedEvent): LogPosition {
  return { commit: event.position, prepare: event.position };
}

/** How the client asked to receive event ids. */
export type UuidFormat = 'string' | 'structured';

/** Converts a logged event into a `ReadResp` carrying it; `$all` reads also carry its commit position. */
export function toReadResponse(event: LoggedEvent, uuidFormat: UuidFormat, fromAll: boolean): ReadResp {
  const recorded = new ReadResp.ReadEvent.RecordedEvent();
  recorded.setId(toUuid(event.eventId, uuidFormat));
  recorded.setStreamIdentifier(streamIdentifier(event.stream));
  recorded.setStreamRevision(event.revision.toString());
  recorded.setCommitPosition(event.position.toString());
  recorded.setPreparePosition(event.position.toString());
  recorded.getMetadataMap().set('type', event.type);
  recorded.getMetadataMap().set('created', event.created.toString());
  recorded.getMetadataMap().set('content-type', event.isJson ? 'application/json' : 'application/octet-stream');
  recorded.setCustomMetadata(event.metadata);
  recorded.setData(event.data);
  const readEvent = new ReadResp.ReadEvent();
  readEvent.setEvent(recorded);
  if (fromAll) readEvent.setCommitPosition(event.position.toString());
  else readEvent.setNoPosition(new Empty());
  return new ReadResp().setEvent(readEvent);
}

/** A protobuf timestamp for now, as the server stamps caught-up and checkpoint messages. */
export function now(): Timestamp {
  return Timestamp.fromDate(new Date());
}

/** A stream identifier message for a stream name. */
export function streamIdentifier(name: string): StreamIdentifier {
  return new StreamIdentifier().setStreamName(Buffer.from(name, 'utf8'));
}

/** The stream name carried by a stream identifier. */
export function streamName(identifier: StreamIdentifier | undefined): string {
  return Buffer.from(identifier?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');
}

/** The canonical (lower-case) text of a protobuf UUID, in either of its two encodings. */
export function uuidText(uuid: UUID | undefined): string | undefined {
  if (!uuid) return undefined;
  if (!uuid.hasStructured()) return uuid.getString().toLowerCase();
  const structured = uuid.getStructured()!;
  const hex = (bits: string) => (BigInt(bits) & 0xffff_ffff_ffff_ffffn).toString(16).padStart(16, '0');
  const ms = hex(structured.getMostSignificantBits());
  const ls = hex(structured.getLeastSignificantBits());
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-${ms.slice(12)}-${ls.slice(0, 4)}-${ls.slice(4)}`;
}

function toUuid(id: string, format: UuidFormat): UUID {
  const uuid = new UUID();
  if (format === 'string') return uuid.setString(id);
  const hex = id.replace(/-/g, '');
  const signed = (part: string) => BigInt.asIntN(64, BigInt(`0x${part}`)).toString();
  const structured = new UUID.Structured()
    .setMostSignificantBits(signed(hex.slice(0, 16)))
    .setLeastSignificantBits(signed(hex.slice(16)));
  return uuid.setStructured(structured);
}
