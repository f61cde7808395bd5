export * from './event-store.port';
export * from './event-store.errors';
export * from './idempotency.port';
export { readEachStream } from './read-each-stream';
export { visibleHead } from './visible-head';
/** The cap of every read: bulk readers size their buffers by it. */
export { READ_COUNT_MAX } from './read-limits';
/** The transaction helper of the PostgreSQL adapter, shared with the read model's PostgreSQL code. */
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store';
export { PostgresIdempotencyStore, completeIdempotencyKey } from './postgres/postgres-idempotency-store';
export { IdempotencyOwner, type IdempotencyOwnerId, OWNER_LOCK_CLASS } from './postgres/idempotency-owner';
export { createEventStore, type EventStoreKind, type EventStoreSettings } from './create-event-store';
export { copyEvents, type CopyEventsOptions, type CopyEventsResult } from './copy/copy-events';
export { HASH_BYTES, NO_PREVIOUS_HASH, canonicalContent, contentHash, contentHashHex, linkHash, type ChainPlace, type HashedContent } from './chain/event-hash';
export { verifyEventChain, type ChainReport, type VerifyChainOptions } from './chain/verify-chain';
export type { ChainBreak, ChainBreakReason } from './chain/stream-chain';
export type { StreamHeads } from './chain/stream-heads';
export { eventStoreMigrations } from './postgres/migrations';
