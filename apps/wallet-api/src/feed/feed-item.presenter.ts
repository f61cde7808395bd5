import { z } from 'zod';
import { apiSchemas, positionOut, timestampOut } from '../http/api-schemas';
import { GROUP_EVENT_TYPES, WALLET_EVENT_TYPES, decodeGroupEvent, decodeWalletEvent, encodeGroupEvent, encodeWalletEvent, walletStream } from '@wallet/domain';
import type { EventFilter, RecordedEvent } from '@wallet/event-store';

const feedItemSchema = z
  .strictObject({
    position: positionOut,
    streamId: z.string().describe('wallet-<walletId>, group-<groupId>, or reference-group-<reference> (a group reference reserved)'),
    revision: z.int().min(0),
    type: z.string().describe('The event type, such as FundsCredited (docs/events.md)'),
    schemaVersion: z.int().min(1),
    data: z.record(z.string(), z.unknown()).describe("The event's payload at its current schema version"),
    metadata: z.record(z.string(), z.unknown()).describe('correlationId, causationId, idempotencyKey, ...'),
    recordedAt: timestampOut,
  })
  .register(apiSchemas, { id: 'FeedItem' });

export const feedPageSchema = z
  .strictObject({ items: z.array(feedItemSchema), nextAfter: positionOut.describe('Pass as ?after= for the next page') })
  .register(apiSchemas, { id: 'FeedPage' });

export type FeedItem = z.infer<typeof feedItemSchema>;
export type FeedPage = z.infer<typeof feedPageSchema>;

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
    data: upcast.data as Record<string, unknown>,
    metadata: event.metadata,
    recordedAt: event.recordedAt.toISOString(),
  };
}

/** The store filter of a feed request; undefined when it asks for everything. */
export function feedFilter(walletId: string | undefined, types: readonly string[] | undefined): EventFilter | undefined {
  if (!walletId && !types) return undefined;
  return { ...(walletId ? { stream: walletStream(walletId) } : {}), ...(types ? { types } : {}) };
}
