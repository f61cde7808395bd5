import { type Pool, type PoolClient, type QueryResult, escapeLiteral } from 'pg';

/** The read model's own checkpoint row; every projector batch moves it in its transaction. */
export const READ_MODEL_PROJECTION = 'read_model';

/** Advisory lock key of the projector elected to write `schema`: held for its whole run. */
export const leaderLockKey = (schema: string): string => `projector:${schema}`;

/**
 * Advisory lock key every projector batch holds shared while it writes `schema`; a rebuild
 * holds it exclusively while it swaps a new read model in, so no batch writes meanwhile.
 */
export const swapLockKey = (schema: string): string => `projector-swap:${schema}`;

export interface CheckpointState {
  readonly position: bigint;
  readonly failedPosition: bigint | null;
  readonly failure: string | null;
}

export async function readCheckpoint(db: Pool | PoolClient, schema: string, name = READ_MODEL_PROJECTION): Promise<CheckpointState> {
  await db.query(`insert into ${schema}.projection_checkpoints (name) values ($1) on conflict do nothing`, [name]);
  const { rows } = await db.query<{ position: string; failed_position: string | null; failure: string | null }>(
    `select position, failed_position, failure from ${schema}.projection_checkpoints where name = $1`,
    [name],
  );
  const row = rows[0]!;
  return { position: BigInt(row.position), failedPosition: row.failed_position === null ? null : BigInt(row.failed_position), failure: row.failure };
}

/**
 * Begins a batch's transaction on `client`: waits while a rebuild swaps `schema`, then locks
 * the checkpoint row until commit and returns its position, so no other writer moves it
 * while the batch is applied. One round trip.
 */
export async function beginBatch(client: PoolClient, schema: string, name = READ_MODEL_PROJECTION): Promise<bigint> {
  const results = (await client.query(
    `begin; select pg_advisory_xact_lock_shared(hashtext(${escapeLiteral(swapLockKey(schema))}));
     select position from ${schema}.projection_checkpoints where name = ${escapeLiteral(name)} for update`,
  )) as unknown as QueryResult<{ position: string }>[];
  const rows = results[2]!.rows;
  if (rows.length !== 1) throw new Error(`No checkpoint ${name} in ${schema}.`);
  return BigInt(rows[0]!.position);
}

export async function recordFailure(db: Pool, schema: string, position: bigint, failure: string, name = READ_MODEL_PROJECTION): Promise<void> {
  await db.query(`update ${schema}.projection_checkpoints set failed_position = $2, failure = $3, updated_at = now() where name = $1`, [
    name,
    position.toString(),
    failure.slice(0, 2_000),
  ]);
}
