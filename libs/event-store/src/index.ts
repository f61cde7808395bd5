export * from './event-store.port';
export * from './event-store.errors';
export * from './idempotency.port';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store';
export { PostgresIdempotencyStore } from './postgres/postgres-idempotency-store';
export { createEventStore, type EventStoreKind, type EventStoreSettings } from './create-event-store';
export { copyEvents, type CopyEventsOptions, type CopyEventsResult } from './copy/copy-events';
