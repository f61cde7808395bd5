import type { EventMetadata, RecordedEvent } from '../event-store.port';

export interface EventRow {
  position: string;
  stream: string;
  revision: string;
  id: string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: EventMetadata;
  recorded_at: Date;
}

export const EVENT_COLUMNS = 'position, stream, revision, id, type, schema_version, data, metadata, recorded_at';

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    stream: row.stream,
    revision: Number(row.revision),
    position: BigInt(row.position),
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at,
  };
}

/** An event row as PostgreSQL writes it in JSON (row_to_json): the time as text. */
export interface JsonEventRow extends Omit<EventRow, 'recorded_at'> {
  recorded_at: string;
}

export function fromJsonRow(row: JsonEventRow): RecordedEvent {
  return toRecordedEvent({ ...row, recorded_at: new Date(row.recorded_at) });
}
