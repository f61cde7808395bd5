import type { OwnerRef } from '@wallet/domain';
import { inTransaction } from '@wallet/postgres';
import type { Pool, PoolClient } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { ENDPOINT_COLUMNS, type EndpointRow, type NewWebhookEndpoint, type WebhookDelivery, type WebhookEndpoint, toEndpoint } from './webhook-endpoint';
import { newWebhookSecret } from './webhook-secret';

/** How long a rotated-out secret still signs: receivers have a day to take the new one. */
export const PREVIOUS_SECRET_VALID_MS = 24 * 3_600_000;
/** Rotated-out secrets kept signing at once, newest first: rotating more often in a day drops the oldest. */
export const PREVIOUS_SECRETS_MAX = 5;

/**
 * Runs in the transaction of a change, once it is made, with what the change left: the caller
 * stores its answer there (an Idempotency-Key's), so a crash keeps both or neither. Throwing
 * undoes the change.
 */
export type WithinChange = (client: PoolClient, endpoint: WebhookEndpoint, secret?: string) => Promise<void>;

export interface PageOptions {
  readonly limit: number;
  readonly cursor?: string;
}

/**
 * Endpoint management. Every call takes the caller's owner (undefined for keys bound to none):
 * an owner-scoped key reaches only the endpoints it created, anything else is "not found".
 */
export class WebhookEndpointStore {
  constructor(private readonly db: Pool) {}

  /** Creates an enabled endpoint; its secret is in the answer and shown nowhere else. */
  async create(endpoint: NewWebhookEndpoint, within?: WithinChange): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const secret = newWebhookSecret();
    const created = await this.change(
      `insert into webhooks.endpoints (id, url, types, wallet_id, description, owner_type, owner_ref, secret, start_after, delivered_through)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) returning ${ENDPOINT_COLUMNS}`,
      [uuidv7(), endpoint.url, endpoint.types, endpoint.walletId, endpoint.description, endpoint.owner?.ownerType ?? null, endpoint.owner?.ownerRef ?? null, secret, endpoint.after],
      within && ((client, row) => within(client, row, secret)),
    );
    return { endpoint: created!, secret };
  }

  /** A page in creation order; `cursor` is the last id of the page before. */
  async list(owner: OwnerRef | undefined, page: PageOptions): Promise<WebhookEndpoint[]> {
    const { rows } = await this.db.query<EndpointRow>(
      `select ${ENDPOINT_COLUMNS} from webhooks.endpoints
        where ${ownedBy(1)} and ($3::uuid is null or id > $3)
        order by id limit $4`,
      [...ownerParams(owner), page.cursor ?? null, page.limit],
    );
    return rows.map(toEndpoint);
  }

  async get(id: string, owner: OwnerRef | undefined): Promise<WebhookEndpoint | undefined> {
    const { rows } = await this.db.query<EndpointRow>(`select ${ENDPOINT_COLUMNS} from webhooks.endpoints where id = $1 and ${ownedBy(2)}`, [id, ...ownerParams(owner)]);
    return rows[0] && toEndpoint(rows[0]);
  }

  /** Stops delivery; the cursor stays where it is. */
  disable(id: string, owner: OwnerRef | undefined, reason = 'disabled by request', within?: WithinChange): Promise<WebhookEndpoint | undefined> {
    return this.update(id, owner, `status = 'disabled', disabled_reason = $4`, [reason], within);
  }

  /** Resumes delivery from the cursor at once, with a fresh retry schedule. */
  enable(id: string, owner: OwnerRef | undefined, within?: WithinChange): Promise<WebhookEndpoint | undefined> {
    return this.update(id, owner, `status = 'enabled', disabled_reason = null, attempt = 0, failing_since = null, next_attempt_at = now()`, [], within);
  }

  /**
   * Moves the cursor to `after` (back to deliver again, forward to skip). A batch in flight is
   * dropped: its answer no longer moves the cursor, and the next batch starts at `after`.
   */
  replay(id: string, owner: OwnerRef | undefined, after: bigint, within?: WithinChange): Promise<WebhookEndpoint | undefined> {
    return this.update(
      id,
      owner,
      `delivered_through = $4, batch_id = null, batch_first = null, batch_last = null, batch_next_after = null, batch_body = null,
       attempt = 0, failing_since = null, next_attempt_at = now()`,
      [after],
      within,
    );
  }

  /**
   * A new secret, shown once; the one it replaces still signs for PREVIOUS_SECRET_VALID_MS, and so
   * do those rotated out before it that are still valid (up to PREVIOUS_SECRETS_MAX).
   */
  async rotateSecret(id: string, owner: OwnerRef | undefined, within?: WithinChange): Promise<{ endpoint: WebhookEndpoint; secret: string } | undefined> {
    const secret = newWebhookSecret();
    const endpoint = await this.update(
      id,
      owner,
      `previous_secrets = jsonb_build_array(jsonb_build_object('secret', secret, 'until', now() + make_interval(secs => $5::double precision / 1000)))
         || coalesce((select jsonb_agg(kept.p order by kept.n) from (
                        select p, n from jsonb_array_elements(previous_secrets) with ordinality as e(p, n)
                         where (p->>'until')::timestamptz > now() order by n limit ${PREVIOUS_SECRETS_MAX - 1}) kept), '[]'::jsonb),
       secret = $4`,
      [secret, PREVIOUS_SECRET_VALID_MS],
      within && ((client, endpoint) => within(client, endpoint, secret)),
    );
    return endpoint && { endpoint, secret };
  }

  /** Delivery attempts, newest first; `cursor` is the last id of the page before. */
  async deliveries(endpointId: string, page: PageOptions): Promise<WebhookDelivery[]> {
    const { rows } = await this.db.query<DeliveryRow>(
      `select id, webhook_id, first_position, last_position, attempt, status_code, duration_ms, error, at from webhooks.deliveries
        where endpoint_id = $1 and ($2::bigint is null or id < $2) order by id desc limit $3`,
      [endpointId, page.cursor ?? null, page.limit],
    );
    return rows.map((row) => ({
      id: BigInt(row.id),
      webhookId: row.webhook_id,
      firstPosition: BigInt(row.first_position),
      lastPosition: BigInt(row.last_position),
      attempt: row.attempt,
      statusCode: row.status_code,
      durationMs: row.duration_ms,
      error: row.error,
      at: row.at,
    }));
  }

  private update(id: string, owner: OwnerRef | undefined, set: string, params: unknown[], within?: WithinChange): Promise<WebhookEndpoint | undefined> {
    return this.change(`update webhooks.endpoints set ${set} where id = $1 and ${ownedBy(2)} returning ${ENDPOINT_COLUMNS}`, [id, ...ownerParams(owner), ...params], within);
  }

  /** One statement that returns the endpoint it changed (if any), then `within` in the same transaction. */
  private async change(sql: string, params: unknown[], within?: WithinChange): Promise<WebhookEndpoint | undefined> {
    if (!within) {
      const { rows } = await this.db.query<EndpointRow>(sql, params);
      return rows[0] && toEndpoint(rows[0]);
    }
    return inTransaction(this.db, async (client) => {
      const { rows } = await client.query<EndpointRow>(sql, params);
      const endpoint = rows[0] && toEndpoint(rows[0]);
      if (endpoint) await within(client, endpoint);
      return endpoint;
    });
  }
}

/** The owner condition on parameters $n and $n+1 (both null: any owner). */
const ownedBy = (n: number): string => `($${n}::text is null or (owner_type = $${n} and owner_ref = $${n + 1}))`;
const ownerParams = (owner: OwnerRef | undefined): [string | null, string | null] => [owner?.ownerType ?? null, owner?.ownerRef ?? null];

interface DeliveryRow {
  id: string;
  webhook_id: string;
  first_position: string;
  last_position: string;
  attempt: number;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  at: Date;
}
