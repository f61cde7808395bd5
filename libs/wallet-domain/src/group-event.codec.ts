import { knownVersion } from './schema-version';
import type { GroupEvent, GroupEventType, GroupLeg } from './group.events';

export interface EncodedGroupEvent {
  readonly type: GroupEventType;
  readonly schemaVersion: number;
  readonly data: Record<string, unknown>;
}

/** Current schema version of every group event type; docs/events.md describes each. */
export const GROUP_EVENT_SCHEMA_VERSIONS: Readonly<Record<GroupEventType, number>> = {
  TransactionGroupRecorded: 1,
  TransactionGroupConfirmed: 1,
  TransactionGroupRejected: 1,
  TransactionGroupReversed: 1,
};

export const GROUP_EVENT_TYPES = Object.keys(GROUP_EVENT_SCHEMA_VERSIONS) as GroupEventType[];

export function encodeGroupEvent(event: GroupEvent): EncodedGroupEvent {
  const data: Record<string, unknown> = { ...event.data };
  if (event.type === 'TransactionGroupRecorded') {
    data['legs'] = event.data.legs.map((leg) => ({ ...leg, amountMinor: leg.amountMinor.toString() }));
  }
  return { type: event.type, schemaVersion: GROUP_EVENT_SCHEMA_VERSIONS[event.type], data };
}

/** Turns a stored group event back into a domain event (all types are at version 1). */
export function decodeGroupEvent(encoded: { type: string; schemaVersion: number; data: unknown }): GroupEvent {
  const type = knownVersion(GROUP_EVENT_SCHEMA_VERSIONS, encoded);
  const data = encoded.data as Record<string, unknown>;
  if (type !== 'TransactionGroupRecorded') return { type, data } as unknown as GroupEvent;
  const legs = (data['legs'] as Record<string, unknown>[]).map((leg) => ({ ...leg, amountMinor: BigInt(leg['amountMinor'] as string) }) as unknown as GroupLeg);
  return { type, data: { ...data, legs } } as unknown as GroupEvent;
}
