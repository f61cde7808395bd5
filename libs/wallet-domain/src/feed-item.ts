import { GROUP_EVENT_TYPES, decodeGroupEvent, encodeGroupEvent } from './group-event.codec';
import { GROUP_REFERENCE_EVENT_TYPES, decodeGroupReferenceEvent, encodeGroupReferenceEvent } from './group-reference';
import { WALLET_EVENT_TYPES, decodeWalletEvent, encodeWalletEvent } from './wallet-event.codec';

/** What a logged event carries, whichever store recorded it (the shape of the store's RecordedEvent). */
export interface LoggedEvent {
  readonly position: bigint;
  readonly stream: string;
  readonly revision: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: Record<string, unknown>;
  readonly recordedAt: Date;
}

/** An event as downstream services see it, in the feed, its stream and webhooks alike. */
export interface FeedItem {
  position: string;
  streamId: string;
  revision: number;
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  recordedAt: string;
}

const groupTypes: ReadonlySet<string> = new Set(GROUP_EVENT_TYPES);
const walletTypes: ReadonlySet<string> = new Set(WALLET_EVENT_TYPES);
const referenceTypes: ReadonlySet<string> = new Set(GROUP_REFERENCE_EVENT_TYPES);

/** Upcasts known types to their current version; an unknown type passes as stored. */
function current(event: LoggedEvent): { type: string; schemaVersion: number; data: unknown } {
  if (groupTypes.has(event.type)) return encodeGroupEvent(decodeGroupEvent(event));
  if (walletTypes.has(event.type)) return encodeWalletEvent(decodeWalletEvent(event));
  if (referenceTypes.has(event.type)) return encodeGroupReferenceEvent(decodeGroupReferenceEvent(event));
  return event;
}

/**
 * An event as downstream services see it. Data is upcast to the current schema version on
 * the way out (decode, then encode), so consumers only ever meet current versions.
 */
export function toFeedItem(event: LoggedEvent): FeedItem {
  const upcast = current(event);
  return {
    position: event.position.toString(),
    streamId: event.stream,
    revision: event.revision,
    type: upcast.type,
    schemaVersion: upcast.schemaVersion,
    data: upcast.data as Record<string, unknown>,
    metadata: event.metadata,
    recordedAt: event.recordedAt.toISOString(),
  };
}
