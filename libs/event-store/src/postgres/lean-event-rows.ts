import { type QueryArrayConfig, types } from 'pg';
import type { EventMetadata, RecordedEvent } from '../event-store.port';

const raw = (value: string): string => value;

/** A statement whose rows come back as arrays of the server's text, for LeanRecordedEvent. */
export function leanQuery(text: string, values: readonly unknown[]): QueryArrayConfig {
  return { text, values: [...values], rowMode: 'array', types: { getTypeParser: () => raw } };
}

/**
 * A row of the log as a RecordedEvent for bulk readers, which read the envelope and `data`
 * of every event but rarely the rest: `metadata` and `recordedAt` stay text until asked
 * for (getters, so a copy by spread leaves them out).
 */
export class LeanRecordedEvent implements RecordedEvent {
  readonly position: bigint;
  readonly stream: string;
  readonly revision: number;
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly #metadataText: string;
  readonly #recordedAtText: string;
  #metadata: EventMetadata | undefined;

  /** `row`: the columns of EVENT_COLUMNS, in that order, as text. */
  constructor(row: readonly string[]) {
    this.position = BigInt(row[0]!);
    this.stream = row[1]!;
    this.revision = Number(row[2]);
    this.id = row[3]!;
    this.type = row[4]!;
    this.schemaVersion = Number(row[5]);
    this.data = JSON.parse(row[6]!);
    this.#metadataText = row[7]!;
    this.#recordedAtText = row[8]!;
  }

  get metadata(): EventMetadata {
    return (this.#metadata ??= JSON.parse(this.#metadataText) as EventMetadata);
  }

  /** Parsed as pg parses timestamptz for readAll. */
  get recordedAt(): Date {
    return types.getTypeParser(types.builtins.TIMESTAMPTZ, 'text')(this.#recordedAtText) as Date;
  }
}
