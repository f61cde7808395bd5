import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, DATABASE_URL } from '@wallet/config';
import { EVENT_STORE, type EventStore, createEventStore } from '@wallet/event-store';
import { createPool } from '@wallet/postgres';
import { type ProjectionStatus, projectionStatus } from '@wallet/read-model';
import type { Pool } from 'pg';

/** The whole check answers within this, so /health/ready answers within a second. */
export const READINESS_DEADLINE_MS = 800;
/** Each connection and statement of the check gets less than the deadline. */
const CONNECT_TIMEOUT_MS = 600;
const STATEMENT_TIMEOUT_MS = 600;

/**
 * Reads the read model's progress for /health/ready on a pool of its own (two connections,
 * short connect and statement timeouts), raced with a timer: a frozen or unreachable database,
 * or an exhausted main pool, makes the check answer "unknown" in bounded time instead of
 * hanging the probe. On PostgreSQL the log's head is read on that pool too; on KurrentDB
 * through the service's store (the timer still bounds it).
 */
export interface ProbedStatus extends ProjectionStatus {
  readonly readOnly: boolean;
}

@Injectable()
export class ReadinessProbe implements OnApplicationShutdown {
  private readonly logger = new Logger('Readiness');
  private readonly pool: Pool;
  private readonly store: EventStore;
  private readonly ownStore: boolean;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(DATABASE_URL) url: string, @Inject(EVENT_STORE) store: EventStore) {
    this.pool = createPool(
      {
        connectionString: url,
        max: 2,
        applicationName: 'wallet-health',
        statementTimeoutMs: STATEMENT_TIMEOUT_MS,
        queryTimeoutMs: STATEMENT_TIMEOUT_MS,
        connectionTimeoutMs: CONNECT_TIMEOUT_MS,
      },
      (error) => this.logger.warn(`Readiness connection failed: ${error.message}`),
    );
    this.ownStore = config.EVENT_STORE === 'postgres';
    this.store = this.ownStore ? createEventStore({ kind: 'postgres', pool: this.pool, listenConfig: { connectionString: url } }) : store;
  }

  /** The projection's status and whether the database takes writes, or undefined when it did not answer within the deadline. */
  async status(): Promise<ProbedStatus | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), READINESS_DEADLINE_MS)));
    const reading = Promise.all([projectionStatus(this.pool, this.store), this.readOnly()]).then(
      ([status, readOnly]): ProbedStatus => ({ ...status, readOnly }),
    );
    const answered = reading.catch((error: unknown) => {
      this.logger.warn(`Readiness check failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
    try {
      return await Promise.race([answered, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** A new session's default: on for a standby, or with default_transaction_read_only set. */
  private async readOnly(): Promise<boolean> {
    const { rows } = await this.pool.query<{ read_only: string }>(`select current_setting('transaction_read_only') as read_only`);
    return rows[0]?.read_only === 'on';
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.ownStore) await this.store.close();
    await this.pool.end();
  }
}
