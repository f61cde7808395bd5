import type { ClientConfig, Pool } from 'pg';
import type { EventStore } from './event-store.port';
import type { GroupCommitOptions } from './postgres/group-commit';
import { PostgresEventStore } from './postgres/postgres-event-store';
import { PostgresIdempotencyStore } from './postgres/postgres-idempotency-store';

export type EventStoreKind = 'postgres' | 'kurrentdb';

export interface EventStoreSettings {
  readonly kind: EventStoreKind;
  /** The service's PostgreSQL: the event log itself on `postgres`, idempotency records on both. */
  readonly pool: Pool;
  /** How the PostgreSQL store opens its LISTEN connection. */
  readonly listenConfig: ClientConfig;
  /** A `kurrentdb://` or `esdb://` connection string; required for `kurrentdb`. */
  readonly kurrentDbUrl?: string;
  readonly pollIntervalMs?: number;
  /** PostgreSQL only: see GroupCommitOptions. */
  readonly groupCommit?: Partial<GroupCommitOptions>;
  readonly onError?: (error: Error) => void;
}

/** The event store the configuration names (EVENT_STORE). */
export function createEventStore(settings: EventStoreSettings): EventStore {
  if (settings.kind === 'postgres') {
    return new PostgresEventStore(settings.pool, settings.listenConfig, { pollIntervalMs: settings.pollIntervalMs, onError: settings.onError, groupCommit: settings.groupCommit });
  }
  if (!settings.kurrentDbUrl) throw new Error('EVENT_STORE=kurrentdb needs KURRENTDB_URL.');
  // Loaded only when chosen: the client and its gRPC stack take about 30 MB of memory.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { KurrentDBClient } = require('@kurrent/kurrentdb-client') as typeof import('@kurrent/kurrentdb-client');
  const { KurrentDbEventStore } = require('./kurrentdb/kurrentdb-event-store') as typeof import('./kurrentdb/kurrentdb-event-store');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return new KurrentDbEventStore(KurrentDBClient.connectionString(settings.kurrentDbUrl), new PostgresIdempotencyStore(settings.pool));
}
