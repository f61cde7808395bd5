import type { Pool, PoolClient } from 'pg';
import { READ_MODEL_PROJECTION } from '../projector/checkpoints';
import { schemaName } from '../projector/read-model-writer';

export interface ProjectionStatus {
  readonly checkpoint: bigint;
  readonly checkpointUpdatedAt: Date | null;
  /** Highest position in the event log (committed or not yet visible to readers). */
  readonly head: bigint;
  /** Events after the checkpoint. */
  readonly lagEvents: bigint;
  /** Age of the oldest event after the checkpoint, 0 when there is none. */
  readonly lagSeconds: number;
  readonly failedPosition: bigint | null;
  readonly failure: string | null;
}

/** The highest position in the event log, 0 for an empty log. */
export async function headPosition(db: Pool | PoolClient): Promise<bigint> {
  const { rows } = await db.query<{ head: string }>('select coalesce(max(position), 0) as head from event_store.events');
  return BigInt(rows[0]!.head);
}

/** Where a read model's projection stands against the event log. Reads only. */
export async function projectionStatus(db: Pool | PoolClient, schema = 'read_model'): Promise<ProjectionStatus> {
  const { rows } = await db.query<{ position: string; updated_at: Date; failed_position: string | null; failure: string | null }>(
    `select position, updated_at, failed_position, failure from ${schemaName(schema)}.projection_checkpoints where name = $1`,
    [READ_MODEL_PROJECTION],
  );
  const row = rows[0];
  const checkpoint = BigInt(row?.position ?? '0');
  const { rows: lag } = await db.query<{ events: string; seconds: number | null }>(
    `select count(*) as events,
            (select extract(epoch from now() - recorded_at)::float8 from event_store.events where position > $1 order by position limit 1) as seconds
       from event_store.events where position > $1`,
    [checkpoint.toString()],
  );
  return {
    checkpoint,
    checkpointUpdatedAt: row?.updated_at ?? null,
    head: await headPosition(db),
    lagEvents: BigInt(lag[0]!.events),
    lagSeconds: Math.max(0, lag[0]!.seconds ?? 0),
    failedPosition: row?.failed_position == null ? null : BigInt(row.failed_position),
    failure: row?.failure ?? null,
  };
}
