import { z } from 'zod';
import { apiSchemas, positionOut, timestampOut } from '../http/api-schemas';
import { walletStream } from '@wallet/domain';
import type { EventFilter } from '@wallet/event-store';

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

export type FeedPage = z.infer<typeof feedPageSchema>;
export { toFeedItem } from '@wallet/domain';

/** The store filter of a feed request; undefined when it asks for everything. */
export function feedFilter(walletId: string | undefined, types: readonly string[] | undefined): EventFilter | undefined {
  if (!walletId && !types) return undefined;
  return { ...(walletId ? { stream: walletStream(walletId) } : {}), ...(types ? { types } : {}) };
}
