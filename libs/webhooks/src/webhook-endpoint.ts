import type { OwnerRef } from '@wallet/domain';

export type WebhookEndpointStatus = 'enabled' | 'disabled';

/** An endpoint as it may be shown: never its secret. */
export interface WebhookEndpoint {
  readonly id: string;
  readonly url: string;
  /** Event types delivered; null: every type. */
  readonly types: readonly string[] | null;
  /** The one wallet whose events are delivered; null: every wallet the endpoint may see. */
  readonly walletId: string | null;
  readonly description: string | null;
  /** Set when an owner-scoped key created it: only that owner's wallets' events go out. */
  readonly owner: OwnerRef | null;
  readonly status: WebhookEndpointStatus;
  readonly disabledReason: string | null;
  /** Where delivery started when the endpoint was created. */
  readonly after: bigint;
  /** The position delivered up to: the cursor. */
  readonly deliveredThrough: bigint;
  readonly attempt: number;
  readonly failingSince: Date | null;
  readonly nextAttemptAt: Date;
  readonly lastError: string | null;
  readonly lastDeliveredAt: Date | null;
  readonly attemptsTotal: bigint;
  readonly failuresTotal: bigint;
  readonly createdAt: Date;
}

/**
 * Positions of the log after the endpoint's cursor, `head` being the log's head: on PostgreSQL an
 * upper bound of the events still to deliver (rolled-back appends leave gaps, and a filter passes
 * some over), on KurrentDB bytes of its log, as the projector's lag is measured.
 */
export function lagEvents(head: bigint, deliveredThrough: bigint): bigint {
  return head > deliveredThrough ? head - deliveredThrough : 0n;
}

export interface NewWebhookEndpoint {
  readonly url: string;
  readonly types: readonly string[] | null;
  readonly walletId: string | null;
  readonly description: string | null;
  readonly owner: OwnerRef | null;
  readonly after: bigint;
}

/** One recorded delivery attempt. */
export interface WebhookDelivery {
  readonly id: bigint;
  readonly webhookId: string;
  readonly firstPosition: bigint;
  readonly lastPosition: bigint;
  readonly attempt: number;
  readonly statusCode: number | null;
  readonly durationMs: number;
  readonly error: string | null;
  readonly at: Date;
}

export interface EndpointRow {
  id: string;
  url: string;
  types: string[] | null;
  wallet_id: string | null;
  description: string | null;
  owner_type: string | null;
  owner_ref: string | null;
  status: WebhookEndpointStatus;
  disabled_reason: string | null;
  start_after: string;
  delivered_through: string;
  attempt: number;
  failing_since: Date | null;
  next_attempt_at: Date;
  last_error: string | null;
  last_delivered_at: Date | null;
  attempts_total: string;
  failures_total: string;
  created_at: Date;
}

export const ENDPOINT_COLUMNS =
  'id, url, types, wallet_id, description, owner_type, owner_ref, status, disabled_reason, start_after, delivered_through, attempt, ' +
  'failing_since, next_attempt_at, last_error, last_delivered_at, attempts_total, failures_total, created_at';

export function toEndpoint(row: EndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    types: row.types,
    walletId: row.wallet_id,
    description: row.description,
    owner: row.owner_type === null || row.owner_ref === null ? null : { ownerType: row.owner_type, ownerRef: row.owner_ref },
    status: row.status,
    disabledReason: row.disabled_reason,
    after: BigInt(row.start_after),
    deliveredThrough: BigInt(row.delivered_through),
    attempt: row.attempt,
    failingSince: row.failing_since,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    lastDeliveredAt: row.last_delivered_at,
    attemptsTotal: BigInt(row.attempts_total),
    failuresTotal: BigInt(row.failures_total),
    createdAt: row.created_at,
  };
}
