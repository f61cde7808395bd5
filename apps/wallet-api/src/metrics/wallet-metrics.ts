import { Inject, Injectable, Logger } from '@nestjs/common';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@wallet/event-store';
import { PG_POOL } from '@wallet/postgres';
import { ProjectorState } from '@wallet/read-model';
import type { Pool } from 'pg';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { processMetricsRegistry } from './process-metrics';
import { ProjectorLagProbe } from './projector-lag.probe';

/** Route label of a request no route matched: the raw URL would make one series per URL. */
export const UNMATCHED_ROUTE = 'unmatched';

const BATCH_SIZE_BUCKETS = [1, 10, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000];

/**
 * The application's metrics, in a registry of this instance's own: several applications in
 * one process (end-to-end tests) neither clash nor mix their figures.
 */
@Injectable()
export class WalletMetrics {
  private readonly logger = new Logger('Metrics');
  private readonly registry = new Registry();
  private readonly requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration from arrival to the last byte sent, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [this.registry],
  });
  private readonly batchSize = new Histogram({
    name: 'wallet_projector_batch_size_events',
    help: 'Events per batch the projector committed.',
    buckets: BATCH_SIZE_BUCKETS,
    registers: [this.registry],
  });
  private readonly requestsShed = new Counter({
    name: 'http_requests_shed_total',
    help: 'Requests answered 503 at arrival, unserved: over MAX_IN_FLIGHT (reason overload) or while shutting down (reason shutdown).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  private readonly eventsProjected = new Counter({
    name: 'wallet_projector_events_projected_total',
    help: 'Events the projector committed to the read models.',
    registers: [this.registry],
  });

  constructor(@Inject(PG_POOL) pool: Pool, @Inject(EVENT_STORE) store: EventStore, @Inject(ProjectorState) projector: ProjectorState) {
    // From memory, not the database: a halt shows even when recording it in the database failed.
    new Gauge({
      name: 'wallet_projector_halted',
      help: '1 when the projector of this process stopped for good (an event it cannot apply, or an error it does not retry); 0 otherwise.',
      registers: [this.registry],
      collect() {
        this.set(projector.halt ? 1 : 0);
      },
    });
    const lag = new ProjectorLagProbe(pool, store, (error) => this.logger.warn(`Projector lag unknown: ${String(error)}`));
    this.lagGauge('wallet_projector_lag_events', 'Events after the read model checkpoint, read at scrape time.', async () => (await lag.read()).events);
    this.lagGauge('wallet_projector_lag_seconds', 'Age of the oldest event not yet projected (0 when caught up), read at scrape time.', async () => (await lag.read()).seconds);
  }

  observeRequest(method: string, route: string | undefined, statusCode: number, durationMs: number): void {
    this.requestDuration.observe({ method, route: route ?? UNMATCHED_ROUTE, status_code: statusCode }, durationMs / 1_000);
  }

  observeShed(reason: 'overload' | 'shutdown'): void {
    this.requestsShed.inc({ reason });
  }

  /** In-flight gauges read at scrape time from the admission control. */
  observeAdmission(admission: { readonly inFlight: number; readonly peakInFlight: number }): void {
    new Gauge({ name: 'http_requests_in_flight', help: 'Requests being worked on (those MAX_IN_FLIGHT counts).', registers: [this.registry], collect() { this.set(admission.inFlight); } });
    new Gauge({ name: 'http_requests_in_flight_peak', help: 'The most requests in flight at once since the process started.', registers: [this.registry], collect() { this.set(admission.peakInFlight); } });
  }

  /** The projector's batch listener. */
  observeBatch(events: readonly RecordedEvent[]): void {
    this.batchSize.observe(events.length);
    this.eventsProjected.inc(events.length);
  }

  /** The Prometheus text exposition: this application's metrics, then the process's. */
  async scrape(): Promise<string> {
    const [own, process] = await Promise.all([this.registry.metrics(), processMetricsRegistry().metrics()]);
    return `${own}\n${process}`;
  }

  private lagGauge(name: string, help: string, read: () => Promise<number>): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        this.set(await read());
      },
    });
  }
}
