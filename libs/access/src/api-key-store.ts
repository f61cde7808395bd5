import type { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { newSecret, secretHash, secretHint } from './api-key-secret';
import type { Caller, OwnerRef } from './caller';
import type { NewApiKey } from './new-api-key.schema';
import type { Scope } from './scopes';

/** A stored key as it may be shown: never its secret. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  readonly hint: string;
  readonly scopes: readonly Scope[];
  readonly owner: OwnerRef | null;
  readonly rateLimitPerSecond: number | null;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
}

export interface ListApiKeysOptions {
  readonly owner?: OwnerRef;
  readonly afterId?: string;
  readonly limit: number;
}

interface ApiKeyRow {
  id: string;
  name: string;
  hint: string;
  scopes: Scope[];
  owner_type: string | null;
  owner_ref: string | null;
  rate_limit_per_second: number | null;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
}

const COLUMNS = 'id, name, hint, scopes, owner_type, owner_ref, rate_limit_per_second, created_at, expires_at, revoked_at';

/** Lock that makes "create the first admin key" happen once among processes starting together. */
const FIRST_KEY_LOCK = 0x77616b31;

/** Creates a key; the secret is in the answer and nowhere else. */
export async function createApiKey(db: Pool, key: NewApiKey): Promise<{ key: ApiKeyRecord; secret: string }> {
  const secret = newSecret();
  const { rows } = await db.query<ApiKeyRow>(
    `insert into access.api_keys (id, name, secret_hash, hint, scopes, owner_type, owner_ref, rate_limit_per_second, expires_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning ${COLUMNS}`,
    [uuidv7(), key.name, secretHash(secret), secretHint(secret), key.scopes, key.owner?.ownerType ?? null, key.owner?.ownerRef ?? null, key.rateLimitPerSecond ?? null, key.expiresAt ?? null],
  );
  return { key: toRecord(rows[0]!), secret };
}

/** Stores a secret chosen by the operator (ADMIN_API_KEY) as an admin key, unless it is stored already. */
export async function seedAdminKey(db: Pool, secret: string): Promise<void> {
  await db.query(
    `insert into access.api_keys (id, name, secret_hash, hint, scopes) values ($1, 'ADMIN_API_KEY', $2, $3, array['admin'])
     on conflict (secret_hash) do nothing`,
    [uuidv7(), secretHash(secret), secretHint(secret)],
  );
}

/** Creates an admin key if there is no key at all; returns its secret, or undefined. */
export async function createFirstAdminKey(db: Pool): Promise<string | undefined> {
  const client = await db.connect();
  try {
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock($1)', [FIRST_KEY_LOCK]);
    const { rowCount } = await client.query('select 1 from access.api_keys limit 1');
    if (rowCount !== 0) {
      await client.query('rollback');
      return undefined;
    }
    const secret = newSecret();
    await client.query(
      `insert into access.api_keys (id, name, secret_hash, hint, scopes) values ($1, 'first admin key', $2, $3, array['admin'])`,
      [uuidv7(), secretHash(secret), secretHint(secret)],
    );
    await client.query('commit');
    return secret;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** True when an admin key exists that is neither revoked nor expired. */
export async function hasActiveAdminKey(db: Pool): Promise<boolean> {
  const { rowCount } = await db.query(
    `select 1 from access.api_keys where 'admin' = any (scopes) and revoked_at is null and (expires_at is null or expires_at > now()) limit 1`,
  );
  return rowCount === 1;
}

/** Keys in creation order, optionally of one owner. */
export async function listApiKeys(db: Pool, options: ListApiKeysOptions): Promise<ApiKeyRecord[]> {
  const { rows } = await db.query<ApiKeyRow>(
    `select ${COLUMNS} from access.api_keys
     where ($1::text is null or (owner_type = $1 and owner_ref = $2)) and ($3::uuid is null or id > $3)
     order by id limit $4`,
    [options.owner?.ownerType ?? null, options.owner?.ownerRef ?? null, options.afterId ?? null, options.limit],
  );
  return rows.map(toRecord);
}

/** Revokes a key (a revoked one stays as it was); undefined when no key has this id. */
export async function revokeApiKey(db: Pool, id: string): Promise<ApiKeyRecord | undefined> {
  const { rows } = await db.query<ApiKeyRow>(`update access.api_keys set revoked_at = coalesce(revoked_at, now()) where id = $1 returning ${COLUMNS}`, [id]);
  return rows[0] && toRecord(rows[0]);
}

/** The key a secret belongs to, revoked or expired ones included; undefined when none. */
export async function findApiKey(db: Pool, secret: string): Promise<ApiKeyRecord | undefined> {
  const { rows } = await db.query<ApiKeyRow>(`select ${COLUMNS} from access.api_keys where secret_hash = $1`, [secretHash(secret)]);
  return rows[0] && toRecord(rows[0]);
}

/** True when the key is neither revoked nor expired at `now`. */
export function isUsable(key: ApiKeyRecord, now: Date): boolean {
  return key.revokedAt === null && (key.expiresAt === null || key.expiresAt.getTime() > now.getTime());
}

/** The caller a key stands for. */
export function callerOf(key: ApiKeyRecord): Caller {
  return {
    keyId: key.id,
    scopes: key.scopes,
    ...(key.owner ? { owner: key.owner } : {}),
    ...(key.rateLimitPerSecond !== null ? { rateLimitPerSecond: key.rateLimitPerSecond } : {}),
  };
}

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    hint: row.hint,
    scopes: row.scopes,
    owner: row.owner_type !== null && row.owner_ref !== null ? { ownerType: row.owner_type, ownerRef: row.owner_ref } : null,
    rateLimitPerSecond: row.rate_limit_per_second,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}
