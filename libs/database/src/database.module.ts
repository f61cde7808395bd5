import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, DATABASE_URL } from '@wallet/config';
import { EVENT_STORE, type EventStore, IDEMPOTENCY_STORE, IdempotencyOwner, PostgresIdempotencyStore, createEventStore } from '@wallet/event-store';
import { PG_POOL, createPool } from '@wallet/postgres';
import type { Pool } from 'pg';

const logger = new Logger('Database');

/** This process's owner lock for its Idempotency-Key claims; undefined where none is held. */
const IDEMPOTENCY_OWNER = Symbol('IDEMPOTENCY_OWNER');

/** The pg pool, the event store (EVENT_STORE) and the idempotency store, closed when the app shuts down. */
@Global()
@Module({
  providers: [
    {
      provide: PG_POOL,
      inject: [APP_CONFIG, DATABASE_URL],
      useFactory: (config: AppConfig, url: string) =>
        createPool(
          { connectionString: url, max: config.DB_POOL_MAX, applicationName: 'wallet', statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS, connectionTimeoutMs: config.DB_CONNECT_TIMEOUT_MS },
          (error) => logger.error(error),
        ),
    },
    {
      provide: EVENT_STORE,
      inject: [PG_POOL, DATABASE_URL, APP_CONFIG],
      useFactory: (pool: Pool, url: string, config: AppConfig) =>
        createEventStore({
          kind: config.EVENT_STORE,
          pool,
          listenConfig: { connectionString: url, application_name: 'wallet-listen' },
          kurrentDbUrl: config.KURRENTDB_URL,
          pollIntervalMs: config.PROJECTOR_POLL_MS,
          groupCommit: { concurrentBatches: config.APPEND_CONCURRENT_BATCHES, batchEventsMax: config.APPEND_BATCH_EVENTS_MAX },
          onError: (error) => logger.warn(error.message),
        }),
    },
    {
      provide: IDEMPOTENCY_OWNER,
      inject: [DATABASE_URL, APP_CONFIG],
      // Only where the append checks the claim in its own transaction (PostgreSQL): on
      // KurrentDB a request whose claim was taken over could still append, so a dead-looking
      // owner must not free its key early there; the lease alone does (docs/event-stores.md).
      useFactory: (url: string, config: AppConfig) =>
        config.EVENT_STORE === 'postgres' ? IdempotencyOwner.start({ connectionString: url, application_name: 'wallet-owner' }, (message) => logger.warn(message)) : undefined,
    },
    {
      provide: IDEMPOTENCY_STORE,
      inject: [PG_POOL, IDEMPOTENCY_OWNER],
      useFactory: (pool: Pool, owner: IdempotencyOwner | undefined) => new PostgresIdempotencyStore(pool, owner),
    },
  ],
  exports: [PG_POOL, EVENT_STORE, IDEMPOTENCY_STORE],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(IDEMPOTENCY_OWNER) private readonly owner: IdempotencyOwner | undefined,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    await this.owner?.close();
    await this.pool.end();
  }
}
