import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { StoredResponse } from '../event-store.port';
import type { ClaimRequest, ClaimResult, IdempotencyStore } from '../idempotency.port';
import { type IdempotencyOwnerId, OWNER_LOCK_CLASS } from './idempotency-owner';

interface KeyRow {
  request_hash: string;
  status: 'in_progress' | 'completed';
  response_status: number | null;
  response_body: unknown;
}

/** Idempotency records in PostgreSQL, beside the events they guard. */
export class PostgresIdempotencyStore implements IdempotencyStore {
  /**
   * @param owner the owner id this process makes its claims under (see IdempotencyOwner);
   *   without one, an abandoned claim is freed only by its lease.
   */
  constructor(
    private readonly pool: Pool,
    private readonly owner?: IdempotencyOwnerId,
  ) {}

  async claim(request: ClaimRequest): Promise<ClaimResult> {
    const token = randomUUID();
    // A new key is claimed; so is an expired one, or an `in_progress` one of the very same
    // request whose holder is dead: its lease ran out (it stopped renewing), or its owner's
    // advisory lock is gone (its process was killed, or the database restarted under it).
    // ON CONFLICT evaluates this on the row as locked: of two retries at once, the second
    // sees the first one's live owner and gets `in_progress`.
    const { rowCount } = await this.pool.query(
      `insert into event_store.idempotency_keys (scope, key, request_hash, token, status, locked_until, expires_at, owner)
       values ($1, $2, $3, $4, 'in_progress', now() + $5 * interval '1 millisecond', now() + $6 * interval '1 millisecond', $7)
       on conflict (scope, key) do update
         set request_hash = excluded.request_hash, token = excluded.token, status = 'in_progress',
             response_status = null, response_body = null, locked_until = excluded.locked_until,
             created_at = now(), expires_at = excluded.expires_at, owner = excluded.owner
       where idempotency_keys.expires_at < now()
          or (idempotency_keys.status = 'in_progress' and idempotency_keys.request_hash = excluded.request_hash
              and (idempotency_keys.locked_until < now()
                   or (idempotency_keys.owner is not null and not exists (
                         select 1 from pg_locks l
                          where l.locktype = 'advisory' and l.granted and l.objsubid = 2
                            and l.database = (select d.oid from pg_database d where d.datname = current_database())
                            and l.classid = $8::oid and l.objid = idempotency_keys.owner::oid))))`,
      [request.scope, request.key, request.requestHash, token, request.leaseMs, request.ttlMs, this.owner?.id ?? null, OWNER_LOCK_CLASS],
    );
    if (rowCount === 1) return { outcome: 'claimed', token };
    return this.existing(request);
  }

  async complete(scope: string, key: string, token: string, response: StoredResponse): Promise<void> {
    await completeIdempotencyKey(this.pool, { scope, key, token }, response);
  }

  async renew(scope: string, key: string, token: string, leaseMs: number): Promise<void> {
    await this.pool.query(
      `update event_store.idempotency_keys set locked_until = now() + $4 * interval '1 millisecond'
        where scope = $1 and key = $2 and token = $3 and status = 'in_progress'`,
      [scope, key, token, leaseMs],
    );
  }

  async release(scope: string, key: string, token: string): Promise<void> {
    await this.pool.query(
      `delete from event_store.idempotency_keys where scope = $1 and key = $2 and token = $3 and status = 'in_progress'`,
      [scope, key, token],
    );
  }

  async purgeExpired(limit: number): Promise<number> {
    const { rowCount } = await this.pool.query(
      `delete from event_store.idempotency_keys where ctid in (
         select ctid from event_store.idempotency_keys where expires_at < now() limit $1)`,
      [limit],
    );
    return rowCount ?? 0;
  }

  private async existing(request: ClaimRequest): Promise<ClaimResult> {
    const { rows } = await this.pool.query<KeyRow>(
      `select request_hash, status, response_status, response_body from event_store.idempotency_keys where scope = $1 and key = $2`,
      [request.scope, request.key],
    );
    const row = rows[0];
    // Gone between the two statements (released or purged): ask again.
    if (!row) return this.claim(request);
    if (row.request_hash !== request.requestHash) return { outcome: 'mismatch' };
    if (row.status === 'in_progress') return { outcome: 'in_progress' };
    return { outcome: 'replay', response: { status: row.response_status ?? 200, body: row.response_body } };
  }
}

/**
 * Stores the answer of a claimed key on `db`, which may be a client inside the transaction of
 * the change the answer reports (so a crash keeps both or neither). False when the claim is no
 * longer this request's: its lease lapsed and another request took the key over.
 */
export async function completeIdempotencyKey(db: Pool | PoolClient, held: { scope: string; key: string; token: string }, response: StoredResponse): Promise<boolean> {
  const { rowCount } = await db.query(
    `update event_store.idempotency_keys
        set status = 'completed', response_status = $4, response_body = $5::jsonb, locked_until = null
      where scope = $1 and key = $2 and token = $3 and status = 'in_progress'`,
    [held.scope, held.key, held.token, response.status, JSON.stringify(response.body)],
  );
  return rowCount === 1;
}
