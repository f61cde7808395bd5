import { Inject, Injectable, Logger } from '@nestjs/common';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@wallet/event-store';
import { PG_POOL } from '@wallet/postgres';
import { ProjectorState } from '@wallet/read-model';
import type { Pool } from 'pg';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { processMetricsRegistry } from './process-metrics';
import { ProjectorLagProbe } from './projector-lag.probe';
import { WEBHOOK_ENDPOINTS_REPORTED_MAX, type WebhookEndpointReading, WebhookLagProbe } from './webhook-lag.probe';

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
    this.observeWebhooks(new WebhookLagProbe(pool, store, (error) => this.logger.warn(`Webhook delivery state unknown: ${String(error)}`)));
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

  /**
   * Per endpoint (label `endpoint`, at most WEBHOOK_ENDPOINTS_REPORTED_MAX of them, in creation
   * order), read at scrape time: delivery may run in another process.
   */
  private observeWebhooks(probe: WebhookLagProbe): void {
    const registers = [this.registry];
    const labelNames = ['endpoint'] as const;
    const scope = `one series per endpoint, the first ${WEBHOOK_ENDPOINTS_REPORTED_MAX} in creation order, read at scrape time`;
    const perEndpoint = (name: string, help: string, value: (endpoint: WebhookEndpointReading) => number): void => {
      new Gauge({
        name,
        help: `${help} (${scope}).`,
        labelNames,
        registers,
        async collect() {
          const reading = await probe.read();
          // Deleted endpoints leave no series behind.
          this.reset();
          for (const endpoint of reading.endpoints) this.set({ endpoint: endpoint.endpoint }, value(endpoint));
        },
      });
    };
    const perEndpointTotal = (name: string, help: string, value: (endpoint: WebhookEndpointReading) => number): void => {
      new Counter({
        name,
        help: `${help} (${scope}).`,
        labelNames,
        registers,
        async collect() {
          const reading = await probe.read();
          this.reset();
          // An unknown total is left out rather than NaN: a gap keeps rate() right, NaN would poison it.
          for (const endpoint of reading.endpoints) {
            const total = value(endpoint);
            if (!Number.isNaN(total)) this.inc({ endpoint: endpoint.endpoint }, total);
          }
        },
      });
    };
    perEndpoint('wallet_webhook_lag_events', 'Positions after the endpoint\'s cursor up to the log head', (endpoint) => endpoint.lagEvents);
    perEndpoint('wallet_webhook_lag_seconds', 'Age of the first event after the endpoint\'s cursor, 0 when there is none', (endpoint) => endpoint.lagSeconds);
    perEndpoint('wallet_webhook_enabled', '1 while the endpoint is enabled, 0 once disabled', (endpoint) => endpoint.enabled);
    perEndpointTotal('wallet_webhook_attempts_total', 'Delivery attempts made to the endpoint', (endpoint) => endpoint.attemptsTotal);
    perEndpointTotal('wallet_webhook_failures_total', 'Delivery attempts to the endpoint that failed', (endpoint) => endpoint.failuresTotal);
    new Gauge({
      name: 'wallet_webhook_endpoints',
      help: 'Webhook endpoints by status, all of them (also those beyond the per-endpoint series), read at scrape time.',
      labelNames: ['status'] as const,
      registers,
      async collect() {
        const { countByStatus } = await probe.read();
        this.set({ status: 'enabled' }, countByStatus.enabled);
        this.set({ status: 'disabled' }, countByStatus.disabled);
      },
    });
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
