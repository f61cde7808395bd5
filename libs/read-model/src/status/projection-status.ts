import type { Pool, PoolClient } from 'pg';
import { READ_MODEL_PROJECTION } from '../projector/checkpoints';
import { schemaName } from '../projector/read-model-writer';

export interface ProjectionStatus {
  readonly checkpoint: bigint;
  readonly checkpointUpdatedAt: Date | null;
  /** Highest position in the event log (committed or not yet visible to readers). */
  readonly head: bigint;
  /** Positions after the checkpoint: an upper bound of the events to project (rolled-back appends leave gaps). */
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

/**
 * Where a read model's projection stands against the event log, in one statement whose cost
 * does not grow with the lag (metrics scrape it often). Reads only.
 */
export async function projectionStatus(db: Pool | PoolClient, schema = 'read_model'): Promise<ProjectionStatus> {
  const { rows } = await db.query<StatusRow>(
    `with checkpoint as (
       select position, updated_at, failed_position, failure from ${schemaName(schema)}.projection_checkpoints where name = $1)
     select c.position, c.updated_at, c.failed_position, c.failure,
            (select coalesce(max(position), 0) from event_store.events) as head,
            (select extract(epoch from now() - e.recorded_at)::float8 from event_store.events e
              where e.position > coalesce((select position from checkpoint), 0) order by e.position limit 1) as seconds
       from (select 1) as one left join checkpoint c on true`,
    [READ_MODEL_PROJECTION],
  );
  const row = rows[0]!;
  const checkpoint = BigInt(row.position ?? '0');
  const head = BigInt(row.head);
  return {
    checkpoint,
    checkpointUpdatedAt: row.updated_at,
    head,
    lagEvents: head > checkpoint ? head - checkpoint : 0n,
    lagSeconds: Math.max(0, row.seconds ?? 0),
    failedPosition: row.failed_position === null ? null : BigInt(row.failed_position),
    failure: row.failure,
  };
}

interface StatusRow {
  position: string | null;
  updated_at: Date | null;
  failed_position: string | null;
  failure: string | null;
  head: string;
  seconds: number | null;
}
