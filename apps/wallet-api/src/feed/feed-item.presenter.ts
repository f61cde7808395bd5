import { GROUP_EVENT_TYPES, WALLET_EVENT_TYPES, decodeGroupEvent, decodeWalletEvent, encodeGroupEvent, encodeWalletEvent } from '@wallet/domain';
import type { EventFilter, RecordedEvent } from '@wallet/event-store';

export interface FeedItem {
  position: string;
  streamId: string;
  revision: number;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: unknown;
  recordedAt: string;
}

const groupTypes: ReadonlySet<string> = new Set(GROUP_EVENT_TYPES);
const walletTypes: ReadonlySet<string> = new Set(WALLET_EVENT_TYPES);

/** Upcasts known types to their current version; an unknown type passes as stored. */
function current(event: RecordedEvent): { type: string; schemaVersion: number; data: unknown } {
  if (groupTypes.has(event.type)) return encodeGroupEvent(decodeGroupEvent(event));
  if (walletTypes.has(event.type)) return encodeWalletEvent(decodeWalletEvent(event));
  return event;
}

/**
 * An event as downstream services see it. Data is upcast to the current schema version on
 * the way out (decode, then encode), so consumers only ever meet current versions.
 */
export function toFeedItem(event: RecordedEvent): FeedItem {
  const upcast = current(event);
  return {
    position: event.position.toString(),
    streamId: event.stream,
    revision: event.revision,
    type: upcast.type,
    schemaVersion: upcast.schemaVersion,
    data: upcast.data,
    metadata: event.metadata,
    recordedAt: event.recordedAt.toISOString(),
  };
}

/** The store filter of a feed request; undefined when it asks for everything. */
export function feedFilter(walletId: string | undefined, types: readonly string[] | undefined): EventFilter | undefined {
  if (!walletId && !types) return undefined;
  return { ...(walletId ? { stream: `wallet-${walletId}` } : {}), ...(types ? { types } : {}) };
}
