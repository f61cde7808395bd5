import { contentHashHex } from '@wallet/event-store';

/** A pg client or pool. */
interface Queryable {
  query(text: string, values: unknown[]): Promise<{ rows: Array<{ position: string | null; error: string | null }> }>;
}

export interface RawEvent {
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: unknown;
}

/**
 * Appends one event to `stream` with event_store.append_batch on a connection the caller
 * controls, e.g. inside a transaction it keeps open to hold a position uncommitted.
 * Returns the event's position.
 */
export async function appendOnConnection(client: Queryable, stream: string, expected: string, event: RawEvent): Promise<bigint> {
  const id = crypto.randomUUID();
  const h = contentHashHex({ ...event, stream, id });
  const batch = {
    appends: [{ a: 1, member: 1, stream, expected, count: 1 }],
    events: [{ a: 1, n: 1, k: 1, id, type: event.type, schema_version: event.schemaVersion, data: event.data, metadata: event.metadata, h }],
    keys: [],
  };
  const { rows } = await client.query('select position::text, error from event_store.append_batch($1::jsonb)', [JSON.stringify(batch)]);
  if (rows[0]?.error) throw new Error(`append to ${stream} failed: ${rows[0].error}`);
  return BigInt(rows[0]!.position!);
}
