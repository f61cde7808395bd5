import { ArrayWriter, type ElementType } from './array-writer';

type Encoder<V> = (writer: ArrayWriter, value: V) => boolean;

const writeUuid: Encoder<string> = (writer, value) => writer.uuid(value);
const writeTimestamp: Encoder<string> = (writer, value) => writer.timestamp(value);
const writeInt8: Encoder<bigint> = (writer, value) => writer.int8(value);
const writeInt4: Encoder<number> = (writer, value) => writer.int4(value);
const writeText: Encoder<string> = (writer, value) => writer.text(value, 0);
const writeJson: Encoder<string> = (writer, value) => writer.text(value, 1);

/** Bytes an element takes at most, beside its length word: UTF-8 needs up to three per UTF-16 unit. */
const fixedSize = (size: number) => (): number => size;
const textSize = (prefix: number) => (value: string): number => prefix + value.length * 3;

/**
 * The parameters of one statement, each a whole column passed as one array (`$n::type[]`,
 * for `unnest`). Columns go in PostgreSQL's binary array format, which the server takes
 * without parsing text: most of what a text timestamp or uuid costs it. A column with a value
 * that is not in canonical form (a time with an offset, say) goes as text instead, so the
 * server reads every value exactly as it would have.
 */
export class ArrayParams {
  readonly values: unknown[] = [];

  /** `reserved` parameters come first ($1 to $reserved), given when the statement runs. */
  constructor(private readonly reserved = 0) {}

  uuid<T>(rows: readonly T[], pick: (row: T) => string | null): string {
    return this.column('uuid', rows, pick, fixedSize(16), writeUuid);
  }

  timestamptz<T>(rows: readonly T[], pick: (row: T) => string | null): string {
    return this.column('timestamptz', rows, pick, fixedSize(8), writeTimestamp);
  }

  int8<T>(rows: readonly T[], pick: (row: T) => bigint | null): string {
    return this.column('int8', rows, pick, fixedSize(8), writeInt8);
  }

  int4<T>(rows: readonly T[], pick: (row: T) => number): string {
    return this.column('int4', rows, pick, fixedSize(4), writeInt4);
  }

  text<T>(rows: readonly T[], pick: (row: T) => string | null): string {
    return this.column('text', rows, pick, textSize(0), writeText);
  }

  /** Each value as JSON; jsonb's binary form is a version byte (1), then the JSON text. */
  jsonb<T>(rows: readonly T[], pick: (row: T) => unknown): string {
    return this.column('jsonb', rows, (row) => JSON.stringify(pick(row)), textSize(1), writeJson);
  }

  private column<T, V>(type: ElementType, rows: readonly T[], pick: (row: T) => V | null | undefined, size: (value: V) => number, encode: Encoder<V>): string {
    const values = rows.map(pick);
    let bytesMax = 0;
    for (const value of values) bytesMax += 4 + (value === null || value === undefined ? 0 : size(value));
    const writer = new ArrayWriter(type, values.length, values.includes(null) || values.includes(undefined), bytesMax);
    let exact = true;
    for (const value of values) {
      if (value === null || value === undefined) writer.null();
      else if (!encode(writer, value)) {
        exact = false;
        break;
      }
    }
    // pg sends a Buffer in binary format, and serialises a plain array as an array literal.
    this.values.push(exact ? writer.finish() : values.map((value) => (value === undefined ? null : value)));
    return `$${this.reserved + this.values.length}::${type}[]`;
  }
}
