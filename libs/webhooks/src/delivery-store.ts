import type { OwnerRef } from '@wallet/domain';
import type { Pool } from 'pg';

/** The batch an endpoint is sending: the same body under the same id on every attempt. */
export interface PendingBatch {
  readonly webhookId: string;
  readonly firstPosition: bigint;
  readonly lastPosition: bigint;
  /** Where the cursor goes once the batch is delivered (past events the filter passed over too). */
  readonly nextAfter: bigint;
  readonly body: string;
}

/** An endpoint this process holds the lease of, as the deliverer needs it. */
export interface LeasedEndpoint {
  readonly id: string;
  readonly url: string;
  readonly types: readonly string[] | null;
  readonly walletId: string | null;
  readonly owner: OwnerRef | null;
  readonly deliveredThrough: bigint;
  readonly batch: PendingBatch | undefined;
  /** Failed attempts of the current batch so far. */
  readonly attempt: number;
}

/** What one attempt came to. */
export interface AttemptOutcome {
  readonly statusCode: number | null;
  readonly durationMs: number;
  /** Null when the receiver answered 2xx in time. */
  readonly error: string | null;
}

const msParam = (n: number): string => `make_interval(secs => $${n}::double precision / 1000)`;

/**
 * The delivering side's SQL. A process holds an endpoint by its lease (holder, until); every
 * change to the cursor is fenced on the lease holder and the expected cursor or batch, so a
 * process that lost its lease (paused too long, or the endpoint replayed meanwhile) changes nothing.
 */
export class DeliveryStore {
  constructor(
    private readonly db: Pool,
    private readonly holder: string,
  ) {}

  /**
   * Takes the leases of up to `limit` enabled endpoints that are due and held by nobody. Given
   * the log's `head`, it leaves out endpoints with nothing to send (no batch pending, cursor at
   * the head): an idle endpoint costs nothing until the log grows.
   */
  async claimDue(limit: number, leaseMs: number, head?: bigint): Promise<LeasedEndpoint[]> {
    const { rows } = await this.db.query<LeasedRow>(
      `update webhooks.endpoints e set lease_holder = $1, lease_until = now() + ${msParam(2)}
         from (select id from webhooks.endpoints
                where status = 'enabled' and next_attempt_at <= now() and (lease_until is null or lease_until < now())
                  and ($4::bigint is null or batch_id is not null or delivered_through < $4)
                order by next_attempt_at limit $3 for update skip locked) due
        where e.id = due.id
        returning e.id, e.url, e.types, e.wallet_id, e.owner_type, e.owner_ref, e.delivered_through, e.attempt,
                  e.batch_id, e.batch_first, e.batch_last, e.batch_next_after, e.batch_body`,
      [this.holder, leaseMs, limit, head ?? null],
    );
    return rows.map(toLeased);
  }

  /**
   * Extends the lease before an attempt and answers the secrets to sign with (the current one,
   * then those rotated out that are still valid); undefined when the lease is lost or the endpoint
   * was disabled meanwhile.
   */
  async renew(id: string, leaseMs: number): Promise<string[] | undefined> {
    const { rows } = await this.db.query<{ secret: string; previous: string[] }>(
      `update webhooks.endpoints set lease_until = now() + ${msParam(3)}
        where id = $1 and lease_holder = $2 and status = 'enabled'
        returning secret, array(select p->>'secret' from jsonb_array_elements(previous_secrets) p where (p->>'until')::timestamptz > now()) as previous`,
      [id, this.holder, leaseMs],
    );
    const row = rows[0];
    return row && [row.secret, ...row.previous];
  }

  /** Records the batch about to be sent; false when the cursor moved meanwhile (a replay). */
  async begin(id: string, expectedThrough: bigint, batch: PendingBatch): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `update webhooks.endpoints set batch_id = $4, batch_first = $5, batch_last = $6, batch_next_after = $7, batch_body = $8
        where id = $1 and lease_holder = $2 and delivered_through = $3 and batch_id is null`,
      [id, this.holder, expectedThrough, batch.webhookId, batch.firstPosition, batch.lastPosition, batch.nextAfter, batch.body],
    );
    return rowCount === 1;
  }

  /**
   * Nothing to send: moves the cursor past events the filter passed over (if any), and puts the
   * endpoint behind the others that are due; claimDue passes it over until the log grows past
   * its cursor. False when the cursor is no longer this holder's to move.
   */
  async idle(id: string, expectedThrough: bigint, nextAfter: bigint): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `update webhooks.endpoints set delivered_through = $4, next_attempt_at = now()
        where id = $1 and lease_holder = $2 and delivered_through = $3 and batch_id is null`,
      [id, this.holder, expectedThrough, nextAfter],
    );
    return rowCount === 1;
  }

  /**
   * A failure before anything was sent (the events could not be read or written out): the next
   * try `retryMs` from now, in the endpoint's failing run, as a failed attempt would be.
   */
  async stall(id: string, error: string, retryMs: number, disableAfterMs: number): Promise<void> {
    await this.db.query(`update webhooks.endpoints set ${failedSet(3, 4, 5)} where id = $1 and lease_holder = $2`, [id, this.holder, error, retryMs, disableAfterMs]);
  }

  /**
   * Logs an attempt and counts it; a success moves the cursor past its batch, a failure sets the
   * next attempt `retryMs` from now and disables the endpoint once it has failed for `disableAfterMs`.
   * Answers whether the endpoint's cursor is still this batch's to move (false: replayed meanwhile).
   */
  async record(endpoint: LeasedEndpoint, batch: PendingBatch, outcome: AttemptOutcome, retryMs: number, disableAfterMs: number): Promise<boolean> {
    const failed = outcome.error !== null;
    const logged = [batch.firstPosition, batch.lastPosition, endpoint.attempt + 1, outcome.statusCode, Math.round(outcome.durationMs), outcome.error, failed ? 1 : 0];
    const { rows } = await this.db.query<{ moved: boolean }>(failed ? RECORD_FAILED : RECORD_DELIVERED, [
      endpoint.id,
      this.holder,
      batch.webhookId,
      ...logged,
      ...(failed ? [retryMs, disableAfterMs] : []),
    ]);
    return rows[0]!.moved;
  }

  /** Lets go of the lease so that any process may take the endpoint when it is next due. */
  async release(id: string): Promise<void> {
    await this.db.query('update webhooks.endpoints set lease_holder = null, lease_until = null where id = $1 and lease_holder = $2', [id, this.holder]);
  }
}

/**
 * One statement per attempt: the attempt logged ($4-$10), the endpoint's cursor or retry schedule
 * changed if the lease and the batch are still this holder's (`set`), the totals counted either way.
 */
const recordAttempt = (set: string): string => `
  with logged as (
    insert into webhooks.deliveries (endpoint_id, webhook_id, first_position, last_position, attempt, status_code, duration_ms, error)
    values ($1, $3, $4, $5, $6, $7, $8, $9)
  ), moved as (
    update webhooks.endpoints set ${set}, attempts_total = attempts_total + 1, failures_total = failures_total + $10
     where id = $1 and lease_holder = $2 and batch_id = $3 returning id
  ), counted as (
    update webhooks.endpoints set attempts_total = attempts_total + 1, failures_total = failures_total + $10
     where id = $1 and not exists (select 1 from moved) returning id
  )
  select exists (select 1 from moved) as moved`;

const RECORD_DELIVERED = recordAttempt(
  `delivered_through = batch_next_after, batch_id = null, batch_first = null, batch_last = null, batch_next_after = null, batch_body = null,
   attempt = 0, failing_since = null, last_error = null, last_delivered_at = now(), next_attempt_at = now()`,
);

/** A failed attempt: its error, the next one `retry` ms from now, disabled once failing for `disable` ms (parameter numbers). */
const failedSet = (error: number, retry: number, disable: number): string =>
  `attempt = attempt + 1, failing_since = coalesce(failing_since, now()), last_error = $${error}, next_attempt_at = now() + ${msParam(retry)},
   status = case when coalesce(failing_since, now()) + ${msParam(disable)} <= now() then 'disabled' else status end,
   disabled_reason = case when coalesce(failing_since, now()) + ${msParam(disable)} <= now() then 'failing since ' || coalesce(failing_since, now()) else disabled_reason end`;

const RECORD_FAILED = recordAttempt(failedSet(9, 11, 12));

interface LeasedRow {
  id: string;
  url: string;
  types: string[] | null;
  wallet_id: string | null;
  owner_type: string | null;
  owner_ref: string | null;
  delivered_through: string;
  attempt: number;
  batch_id: string | null;
  batch_first: string | null;
  batch_last: string | null;
  batch_next_after: string | null;
  batch_body: string | null;
}

function toLeased(row: LeasedRow): LeasedEndpoint {
  return {
    id: row.id,
    url: row.url,
    types: row.types,
    walletId: row.wallet_id,
    owner: row.owner_type === null || row.owner_ref === null ? null : { ownerType: row.owner_type, ownerRef: row.owner_ref },
    deliveredThrough: BigInt(row.delivered_through),
    attempt: row.attempt,
    batch:
      row.batch_id === null
        ? undefined
        : { webhookId: row.batch_id, firstPosition: BigInt(row.batch_first!), lastPosition: BigInt(row.batch_last!), nextAfter: BigInt(row.batch_next_after!), body: row.batch_body! },
  };
}
