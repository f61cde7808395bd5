import type { Pool, PoolClient } from 'pg';

/** The read model's own checkpoint row; every projector batch moves it in its transaction. */
export const READ_MODEL_PROJECTION = 'read_model';

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

/** Moves the checkpoint from `from` to `to`; fails if anyone else moved it meanwhile. */
export async function advanceCheckpoint(client: PoolClient, schema: string, from: bigint, to: bigint, name = READ_MODEL_PROJECTION): Promise<void> {
  const { rowCount } = await client.query(
    `update ${schema}.projection_checkpoints set position = $3, updated_at = now(), failed_position = null, failure = null
      where name = $1 and position = $2`,
    [name, from.toString(), to.toString()],
  );
  if (rowCount !== 1) throw new Error(`Checkpoint ${name} is no longer at ${from}: another projector is running.`);
}

export async function recordFailure(db: Pool, schema: string, position: bigint, failure: string, name = READ_MODEL_PROJECTION): Promise<void> {
  await db.query(`update ${schema}.projection_checkpoints set failed_position = $2, failure = $3, updated_at = now() where name = $1`, [
    name,
    position.toString(),
    failure.slice(0, 2_000),
  ]);
}
