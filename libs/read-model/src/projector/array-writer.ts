/** Element types of the arrays the projector's statements take, with their PostgreSQL type oids. */
const OIDS = { uuid: 2950, text: 25, jsonb: 3802, int4: 23, int8: 20, timestamptz: 1184 } as const;
export type ElementType = keyof typeof OIDS;

const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;
const INT4_MIN = -(2 ** 31);
const INT4_MAX = 2 ** 31 - 1;
/** Milliseconds from the Unix epoch to PostgreSQL's, 2000-01-01T00:00:00Z. */
const POSTGRES_EPOCH_MS = 946_684_800_000;
const TWO_TO_32 = 4_294_967_296;
/** Where the 16 hex pairs of a canonical 8-4-4-4-12 uuid start. */
const UUID_PAIRS = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
/** The byte of a pair of ASCII hex digits, indexed by (first << 7) | second; -1 if either is not one. */
const HEX_PAIRS = new Int16Array(128 * 128).fill(-1);
for (const [high, highDigit] of [...'0123456789abcdefABCDEF'].map((c) => [c.charCodeAt(0), parseInt(c, 16)] as const)) {
  for (const [low, lowDigit] of [...'0123456789abcdefABCDEF'].map((c) => [c.charCodeAt(0), parseInt(c, 16)] as const)) {
    HEX_PAIRS[(high << 7) | low] = (highDigit << 4) | lowDigit;
  }
}

/**
 * Writes one array in PostgreSQL's binary format (array_recv): dimensions (none when empty,
 * else one, based at 1), a null flag, the element type, then each element as its length and
 * its bytes. Each element method returns false, writing nothing usable, for a value it
 * cannot write exactly as the server would read its text.
 */
export class ArrayWriter {
  private readonly buffer: Buffer;
  private readonly view: DataView;
  private offset: number;

  constructor(type: ElementType, count: number, hasNulls: boolean, elementBytesMax: number) {
    const headerBytes = count === 0 ? 12 : 20;
    this.buffer = Buffer.allocUnsafe(headerBytes + elementBytesMax);
    this.view = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.length);
    this.view.setInt32(0, count === 0 ? 0 : 1);
    this.view.setInt32(4, hasNulls ? 1 : 0);
    this.view.setInt32(8, OIDS[type]);
    if (count > 0) {
      this.view.setInt32(12, count);
      this.view.setInt32(16, 1);
    }
    this.offset = headerBytes;
  }

  finish(): Buffer {
    return this.buffer.subarray(0, this.offset);
  }

  null(): void {
    this.view.setInt32(this.offset, -1);
    this.offset += 4;
  }

  int4(value: number): boolean {
    if (!Number.isInteger(value) || value < INT4_MIN || value > INT4_MAX) return false;
    this.view.setInt32(this.offset, 4);
    this.view.setInt32(this.offset + 4, value);
    this.offset += 8;
    return true;
  }

  int8(value: bigint): boolean {
    if (value < INT8_MIN || value > INT8_MAX) return false;
    this.view.setInt32(this.offset, 8);
    this.view.setBigInt64(this.offset + 4, value);
    this.offset += 12;
    return true;
  }

  /** A uuid in its canonical 8-4-4-4-12 hex form, as 16 bytes. */
  uuid(value: string): boolean {
    if (value.length !== 36 || value.charCodeAt(8) !== 45 || value.charCodeAt(13) !== 45 || value.charCodeAt(18) !== 45 || value.charCodeAt(23) !== 45) return false;
    const start = this.offset + 4;
    for (let i = 0; i < 16; i += 1) {
      const at = UUID_PAIRS[i]!;
      const high = value.charCodeAt(at);
      const low = value.charCodeAt(at + 1);
      const byte = high < 128 && low < 128 ? HEX_PAIRS[(high << 7) | low]! : -1;
      if (byte < 0) return false;
      this.buffer[start + i] = byte;
    }
    this.view.setInt32(this.offset, 16);
    this.offset += 20;
    return true;
  }

  /** A time as toISOString writes it (YYYY-MM-DDTHH:MM:SS.sssZ), as microseconds since 2000-01-01. */
  timestamp(value: string): boolean {
    const ms = isoUtcMs(value);
    if (ms === undefined) return false;
    // Microseconds can pass 2^53, beyond what a double holds exactly: multiply the two 32-bit halves of the milliseconds apart.
    const sinceEpoch = ms - POSTGRES_EPOCH_MS;
    const highMs = Math.floor(sinceEpoch / TWO_TO_32);
    const lowMicros = (sinceEpoch - highMs * TWO_TO_32) * 1_000;
    const carry = Math.floor(lowMicros / TWO_TO_32);
    this.view.setInt32(this.offset, 8);
    this.view.setInt32(this.offset + 4, highMs * 1_000 + carry);
    this.view.setUint32(this.offset + 8, lowMicros - carry * TWO_TO_32);
    this.offset += 12;
    return true;
  }

  /** UTF-8 text after `prefix` version bytes of 1 (jsonb's binary form has one). */
  text(value: string, prefix: 0 | 1): boolean {
    const start = this.offset + 4;
    if (prefix === 1) this.buffer[start] = 1;
    const bytes = prefix + writeUtf8(this.buffer, value, start + prefix);
    this.view.setInt32(this.offset, bytes);
    this.offset = start + bytes;
    return true;
  }
}

/** Short ASCII strings, the common case, byte by byte; anything else through Buffer's encoder. */
function writeUtf8(buffer: Buffer, value: string, at: number): number {
  if (value.length > 64) return buffer.write(value, at);
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if (code >= 128) return buffer.write(value, at);
    buffer[at + i] = code;
  }
  return value.length;
}

/** Milliseconds since the Unix epoch of YYYY-MM-DDTHH:MM:SS.sssZ, or undefined for any other form or an impossible date. */
function isoUtcMs(iso: string): number | undefined {
  if (iso.length !== 24 || iso.charCodeAt(4) !== 45 || iso.charCodeAt(7) !== 45 || iso.charCodeAt(10) !== 84 || iso.charCodeAt(13) !== 58
    || iso.charCodeAt(16) !== 58 || iso.charCodeAt(19) !== 46 || iso.charCodeAt(23) !== 90) return undefined;
  const year = digits(iso, 0, 4);
  const month = digits(iso, 5, 2);
  const day = digits(iso, 8, 2);
  const hour = digits(iso, 11, 2);
  const minute = digits(iso, 14, 2);
  const second = digits(iso, 17, 2);
  const ms = digits(iso, 20, 3);
  if (Math.min(hour, minute, second, ms) < 0 || year < 100 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  return ((((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute) * 60 + second) * 1_000) + ms;
}

/** The decimal number of `count` digits at `at`; negative if any is not a digit. */
function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i += 1) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's days_from_civil): Date.UTC without its cost. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
