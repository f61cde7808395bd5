import { knownVersion } from './schema-version';

/**
 * The first and only event of a group reference's stream: the reference belongs to `groupId`
 * for ever. It lets the write side refuse a reused reference at append time, with the
 * group that holds it, on any event store.
 */
export interface GroupReferenceReserved {
  readonly type: 'GroupReferenceReserved';
  readonly data: { readonly reference: string; readonly groupId: string; readonly reservedAt: string };
}

export const GROUP_REFERENCE_EVENT_SCHEMA_VERSIONS: Readonly<Record<GroupReferenceReserved['type'], number>> = { GroupReferenceReserved: 1 };

export const GROUP_REFERENCE_EVENT_TYPES = Object.keys(GROUP_REFERENCE_EVENT_SCHEMA_VERSIONS) as GroupReferenceReserved['type'][];

export function encodeGroupReferenceEvent(event: GroupReferenceReserved): { type: 'GroupReferenceReserved'; schemaVersion: number; data: Record<string, unknown> } {
  return { type: event.type, schemaVersion: GROUP_REFERENCE_EVENT_SCHEMA_VERSIONS[event.type], data: { ...event.data } };
}

export function decodeGroupReferenceEvent(encoded: { type: string; schemaVersion: number; data: unknown }): GroupReferenceReserved {
  const type = knownVersion(GROUP_REFERENCE_EVENT_SCHEMA_VERSIONS, encoded);
  return { type, data: encoded.data as GroupReferenceReserved['data'] };
}
