import type { EventStore } from '@wallet/event-store';
import { lagEvents } from '@wallet/webhooks';
import type { Pool } from 'pg';

/** Most endpoints one scrape reports on, in creation order: bounds the work and the series of one scrape. */
export const WEBHOOK_ENDPOINTS_REPORTED_MAX = 1_000;
/** Event-store reads of one scrape at once (one per distinct cursor behind the head). */
const STORE_READS_AT_ONCE = 8;

/** Where one endpoint's delivery stands. Numbers are NaN when the database did not answer. */
export interface WebhookEndpointReading {
  readonly endpoint: string;
  readonly enabled: number;
  /** Positions after the cursor up to the log head: an upper bound of the events still due. */
  readonly lagEvents: number;
  /** Age of the first event after the cursor; 0 when there is none. */
  readonly lagSeconds: number;
  readonly attemptsTotal: number;
  readonly failuresTotal: number;
}

export interface WebhookReading {
  readonly endpoints: readonly WebhookEndpointReading[];
  /** Every endpoint by status, reported on or not. */
  readonly countByStatus: { readonly enabled: number; readonly disabled: number };
}

/**
 * Reads every endpoint's delivery state from PostgreSQL and the event store at scrape time, so
 * it is right whichever process delivers. The gauges of one scrape share one reading.
 */
export class WebhookLagProbe {
  private inFlight: Promise<WebhookReading> | undefined;
  /** The endpoints of the last good reading: reported as unknown while the database is away. */
  private known: readonly string[] = [];

  constructor(
    private readonly pool: Pool,
    private readonly store: EventStore,
    private readonly onError: (error: unknown) => void,
  ) {}

  read(): Promise<WebhookReading> {
    this.inFlight ??= this.query().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async query(): Promise<WebhookReading> {
    try {
      const reading = await this.readNow();
      this.known = reading.endpoints.map((endpoint) => endpoint.endpoint);
      return reading;
    } catch (error) {
      // A scrape still answers when the database does not; NaN says "unknown", 0 would lie.
      this.onError(error);
      const unknown = (endpoint: string): WebhookEndpointReading => ({
        endpoint,
        enabled: Number.NaN,
        lagEvents: Number.NaN,
        lagSeconds: Number.NaN,
        attemptsTotal: Number.NaN,
        failuresTotal: Number.NaN,
      });
      return { endpoints: this.known.map(unknown), countByStatus: { enabled: Number.NaN, disabled: Number.NaN } };
    }
  }

  private async readNow(): Promise<WebhookReading> {
    const [{ rows }, counts, head] = await Promise.all([
      this.pool.query<EndpointStateRow>(
        `select id, status, delivered_through, attempts_total, failures_total from webhooks.endpoints order by id limit $1`,
        [WEBHOOK_ENDPOINTS_REPORTED_MAX],
      ),
      this.pool.query<{ status: string; count: string }>(`select status, count(*) as count from webhooks.endpoints group by status`),
      this.store.headPosition(),
    ]);
    // Endpoints that keep up share their cursor: one read per distinct cursor behind the head.
    const cursors = [...new Set(rows.map((row) => BigInt(row.delivered_through)).filter((cursor) => cursor < head))];
    const oldest = await this.firstRecordedAfterEach(cursors);
    const now = Date.now();
    const count = (status: string): number => Number(counts.rows.find((row) => row.status === status)?.count ?? 0);
    return {
      endpoints: rows.map((row) => {
        const cursor = BigInt(row.delivered_through);
        const first = oldest.get(cursor);
        return {
          endpoint: row.id,
          enabled: row.status === 'enabled' ? 1 : 0,
          lagEvents: Number(lagEvents(head, cursor)),
          lagSeconds: first ? Math.max(0, (now - first.getTime()) / 1000) : 0,
          attemptsTotal: Number(row.attempts_total),
          failuresTotal: Number(row.failures_total),
        };
      }),
      countByStatus: { enabled: count('enabled'), disabled: count('disabled') },
    };
  }

  private async firstRecordedAfterEach(cursors: readonly bigint[]): Promise<Map<bigint, Date | undefined>> {
    const found = new Map<bigint, Date | undefined>();
    // Bounded: at most WEBHOOK_ENDPOINTS_REPORTED_MAX cursors, STORE_READS_AT_ONCE per turn.
    for (let start = 0; start < cursors.length; start += STORE_READS_AT_ONCE) {
      const slice = cursors.slice(start, start + STORE_READS_AT_ONCE);
      const dates = await Promise.all(slice.map((cursor) => this.store.firstRecordedAfter(cursor)));
      slice.forEach((cursor, index) => found.set(cursor, dates[index]));
    }
    return found;
  }
}

interface EndpointStateRow {
  id: string;
  status: string;
  delivered_through: string;
  attempts_total: string;
  failures_total: string;
}
