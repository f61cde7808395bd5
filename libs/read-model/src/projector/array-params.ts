/** Element types of the arrays a statement takes, with their PostgreSQL type oids. */
const OIDS = { uuid: 2950, text: 25, jsonb: 3802, int4: 23, int8: 20, timestamptz: 1184 } as const;
type ElementType = keyof typeof OIDS;

/** Microseconds from the Unix epoch to PostgreSQL's, 2000-01-01T00:00:00Z. */
const POSTGRES_EPOCH_MS = 946_684_800_000;
const TWO_TO_32 = 4_294_967_296;
/** What toISOString writes (milliseconds optional): times Date.parse reads exactly, to the millisecond. */
const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$/;
const HEX = new Int8Array(128).fill(-1);
for (let digit = 0; digit < 16; digit += 1) {
  HEX['0123456789abcdef'.charCodeAt(digit)] = digit;
  HEX['0123456789ABCDEF'.charCodeAt(digit)] = digit;
}

/**
 * The parameters of one statement, each a whole column passed as one array (`$n::type[]`,
 * for `unnest`). Columns go in PostgreSQL's binary array format, which the server takes
 * without parsing text: most of what a text timestamp or uuid costs it. A column with a value
 * that is not in canonical form (a time with an offset, say) goes as text instead, so the
 * server reads every value exactly as it would have.
 */
export class ArrayParams {
  readonly values: unknown[] = [];

  uuid<T>(rows: readonly T[], pick: (row: T) => string | null): string {
    const values = rows.map(pick);
    return this.add('uuid', values, encode('uuid', values, 16, writeUuid));
  }

  timestamptz<T>(rows: readonly T[], pick: (row: T) => string | null): string {
    const values = rows.map(pick);
    return this.add('timestamptz', values, encode('timestamptz', values, 8, writeTimestamp));
  }

  int8<T>(rows: readonly T[], pick: (row: T) => bigint): string {
    const values = rows.map(pick);
    return this.add('int8', values, encode('int8', values, 8, (buffer, offset, value) => (buffer.writeBigInt64BE(value, offset), true)));
  }

  int4<T>(rows: readonly T[], pick: (row: T) => number): string {
    const values = rows.map(pick);
    return this.add('int4', values, encode('int4', values, 4, (buffer, offset, value) => (buffer.writeInt32BE(value, offset), true)));
  }

  text<T>(rows: readonly T[], pick: (row: T) => string | null): string {
    const values = rows.map(pick);
    return this.add('text', values, encodeStrings('text', values));
  }

  /** Each value as JSON. */
  jsonb<T>(rows: readonly T[], pick: (row: T) => unknown): string {
    const values = rows.map((row) => JSON.stringify(pick(row)));
    return this.add('jsonb', values, encodeStrings('jsonb', values));
  }

  /** One scalar parameter, as text. */
  scalar(value: string | number, type: 'text' | 'int8'): string {
    this.values.push(value);
    return `$${this.values.length}::${type}`;
  }

  private add(type: ElementType, values: readonly unknown[], binary: Buffer | undefined): string {
    // pg sends a Buffer in binary format and serialises a plain array as an array literal.
    this.values.push(binary ?? values.map((value) => (value === undefined ? null : value)));
    return `$${this.values.length}::${type}[]`;
  }
}

type Writer<V> = (buffer: Buffer, offset: number, value: V) => boolean;

/** A one-dimensional array of fixed-size elements; undefined when a value cannot be written exactly. */
function encode<V>(type: ElementType, values: readonly (V | null | undefined)[], size: number, write: Writer<V>): Buffer | undefined {
  const buffer = header(type, values, values.length * 4 + values.reduce<number>((total, value) => total + (value == null ? 0 : size), 0));
  let offset = values.length === 0 ? 12 : 20;
  for (const value of values) {
    if (value === null || value === undefined) {
      offset = buffer.writeInt32BE(-1, offset);
      continue;
    }
    offset = buffer.writeInt32BE(size, offset);
    if (!write(buffer, offset, value)) return undefined;
    offset += size;
  }
  return buffer;
}

/** A one-dimensional array of UTF-8 strings; jsonb's binary form puts a version byte (1) before the JSON. */
function encodeStrings(type: 'text' | 'jsonb', values: readonly (string | null | undefined)[]): Buffer {
  const prefix = type === 'jsonb' ? 1 : 0;
  const buffer = header(type, values, values.reduce<number>((total, value) => total + 4 + (value == null ? 0 : prefix + Buffer.byteLength(value)), 0));
  let offset = values.length === 0 ? 12 : 20;
  for (const value of values) {
    if (value === null || value === undefined) {
      offset = buffer.writeInt32BE(-1, offset);
      continue;
    }
    const start = offset + 4;
    if (prefix === 1) buffer[start] = 1;
    const written = buffer.write(value, start + prefix);
    offset = buffer.writeInt32BE(prefix + written, offset) + prefix + written;
  }
  return buffer;
}

/** Dimensions (none for an empty array, else one, based at 1), null flag and element type. */
function header(type: ElementType, values: readonly unknown[], bodyBytes: number): Buffer {
  const buffer = Buffer.allocUnsafe((values.length === 0 ? 12 : 20) + bodyBytes);
  buffer.writeInt32BE(values.length === 0 ? 0 : 1, 0);
  buffer.writeInt32BE(values.some((value) => value === null || value === undefined) ? 1 : 0, 4);
  buffer.writeInt32BE(OIDS[type], 8);
  if (values.length > 0) {
    buffer.writeInt32BE(values.length, 12);
    buffer.writeInt32BE(1, 16);
  }
  return buffer;
}

/** The 16 bytes of a uuid in its canonical 8-4-4-4-12 hex form; false for any other form. */
function writeUuid(buffer: Buffer, offset: number, uuid: string): boolean {
  if (uuid.length !== 36) return false;
  let byte = offset;
  let high = -1;
  for (let i = 0; i < 36; i += 1) {
    const code = uuid.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (code !== 45) return false;
      continue;
    }
    const nibble = code < 128 ? HEX[code]! : -1;
    if (nibble < 0) return false;
    if (high < 0) high = nibble;
    else {
      buffer[byte++] = (high << 4) | nibble;
      high = -1;
    }
  }
  return true;
}

/** Microseconds since 2000-01-01 as a signed 64-bit integer, from a UTC ISO time; false for any other form. */
function writeTimestamp(buffer: Buffer, offset: number, iso: string): boolean {
  if (!ISO_UTC.test(iso)) return false;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return false;
  const micros = (ms - POSTGRES_EPOCH_MS) * 1_000;
  const high = Math.floor(micros / TWO_TO_32);
  buffer.writeInt32BE(high, offset);
  buffer.writeUInt32BE(micros - high * TWO_TO_32, offset + 4);
  return true;
}
