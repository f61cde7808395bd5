import { createHash, hash } from 'node:crypto';
import { configure } from 'safe-stable-stringify';

/** What the content hash covers: an event as its stream holds it, without its place in the log. */
export interface HashedContent {
  readonly stream: string;
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: unknown;
}

/** Where an event sits in the log: the link hash covers it together with the content hash. */
export interface ChainPlace {
  readonly revision: number;
  readonly position: bigint;
  /** recorded_at in microseconds since 1970-01-01 UTC, as PostgreSQL keeps it. */
  readonly recordedAtMicros: bigint;
}

/** Bytes of a SHA-256 hash. */
export const HASH_BYTES = 32;

/** The previous hash of a stream's first event, and of the first event after unhashed ones. */
export const NO_PREVIOUS_HASH: Buffer = Buffer.alloc(HASH_BYTES);

// Keys sorted, no whitespace; values written as JSON.stringify writes them (which is what
// the event store keeps), and a cycle throws as it does there. A bigint is left out here,
// but JSON.stringify refuses it, so such an event is never written.
const canonicalStringify = configure({ deterministic: true, circularValue: Error, bigint: false });

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The canonical JSON of an event's content: the object `{ data, id, metadata, schemaVersion,
 * stream, type }` with every object's keys sorted by UTF-16 code units and no whitespace. For
 * the values JSON holds (strings, finite numbers, booleans, null, arrays, objects) this is the
 * RFC 8785 form. The id is written as PostgreSQL prints a uuid (lower case, hyphenated), so
 * that the hash of an event read back equals the hash of the event as it was appended.
 */
export function canonicalContent(content: HashedContent): string {
  const { stream, type, schemaVersion, data, metadata } = content;
  const text = canonicalStringify({ stream, id: canonicalUuid(content.id), type, schemaVersion, data, metadata });
  // Never undefined for an object; the type allows it for other values.
  return text!;
}

/** SHA-256 of the event's canonical content (see canonicalContent): 32 bytes. */
export function contentHash(content: HashedContent): Buffer {
  return hash('sha256', canonicalContent(content), 'buffer');
}

/** contentHash as 64 hex digits, the form event_store.append_batch takes it in. */
export function contentHashHex(content: HashedContent): string {
  // One-shot hash straight to hex: the writer's path, where a Hash object and a Buffer per event show.
  return hash('sha256', canonicalContent(content), 'hex');
}

/**
 * The hash an event is stored with: SHA-256 of `previous || content || revision || position
 * || recordedAtMicros`, the three numbers as 8-byte big-endian signed integers (PostgreSQL's
 * int8send). `previous` is the stored hash of the stream's event before it, or
 * NO_PREVIOUS_HASH. event_store.append_batch computes the same in SQL (migration 0009).
 */
export function linkHash(previous: Buffer, content: Buffer, place: ChainPlace): Buffer {
  const numbers = Buffer.alloc(24);
  numbers.writeBigInt64BE(BigInt(place.revision), 0);
  numbers.writeBigInt64BE(place.position, 8);
  numbers.writeBigInt64BE(place.recordedAtMicros, 16);
  return createHash('sha256').update(previous).update(content).update(numbers).digest();
}

/**
 * PostgreSQL accepts a uuid in upper case, without hyphens or in braces, and prints it in
 * one form; anything it would refuse is left as it is (the append fails anyway).
 */
function canonicalUuid(id: string): string {
  if (CANONICAL_UUID.test(id)) return id;
  const hex = id.replace(/[{}-]/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) return id;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
