import { type AllStreamResolvedEvent, type JSONEventData, type ResolvedEvent, jsonEvent } from '@kurrent/kurrentdb-client';
import { v7 as uuidv7 } from 'uuid';
import type { EventMetadata, NewEvent, RecordedEvent } from '../event-store.port';

/** The metadata key that carries an event's schema version; the other keys are the caller's. */
const SCHEMA_VERSION_KEY = 'schemaVersion';

/**
 * An event as KurrentDB stores it: JSON data, and metadata as a JSON object of strings (what
 * a multi-stream append accepts), the schema version included.
 */
export function toEventData(event: NewEvent): JSONEventData {
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(event.metadata)) {
    if (value === undefined) continue;
    if (typeof value !== 'string' || key === SCHEMA_VERSION_KEY) {
      throw new TypeError(`Event metadata "${key}" cannot be stored in KurrentDB: metadata values must be strings and "${SCHEMA_VERSION_KEY}" is reserved.`);
    }
    metadata[key] = value;
  }
  metadata[SCHEMA_VERSION_KEY] = String(event.schemaVersion);
  return jsonEvent({ id: event.id ?? uuidv7(), type: event.type, data: event.data as JSONEventData['data'], metadata });
}

/**
 * The port's view of an event read from KurrentDB. Its position is the commit position, which
 * equals the prepare position for every event not written in an explicit transaction (the
 * service never uses those). Returns undefined for anything that is not a plain event.
 */
export function toRecordedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event || !event.isJson) return undefined;
  const commit = event.position?.commit ?? resolved.commitPosition;
  if (commit === undefined) throw new Error(`Event ${event.id} of ${event.streamId} came without a log position.`);
  if (event.position && event.position.prepare !== event.position.commit) {
    throw new Error(`Event ${event.id} of ${event.streamId} was written in an explicit transaction, which this adapter does not read.`);
  }
  const { [SCHEMA_VERSION_KEY]: schemaVersion, ...metadata } = (event.metadata ?? {}) as Record<string, string>;
  return {
    id: event.id,
    stream: event.streamId,
    revision: Number(event.revision),
    position: commit,
    type: event.type,
    schemaVersion: Number(schemaVersion ?? 1),
    data: event.data,
    metadata: metadata as unknown as EventMetadata,
    recordedAt: event.created,
  };
}
