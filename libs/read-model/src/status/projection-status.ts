import type { EventStore } from '@wallet/event-store';
import type { Pool, PoolClient } from 'pg';
import { READ_MODEL_PROJECTION } from '../projector/checkpoints';
import { schemaName } from '../projector/schema-name';

export interface ProjectionStatus {
  readonly checkpoint: bigint;
  readonly checkpointUpdatedAt: Date | null;
  /** Highest position in the event log (committed or not yet visible to readers). */
  readonly head: bigint;
  /**
   * Positions after the checkpoint: on PostgreSQL an upper bound of the events to project
   * (rolled-back appends leave gaps), on KurrentDB bytes of the transaction log.
   */
  readonly lagEvents: bigint;
  /** Age of the oldest event after the checkpoint, 0 when there is none. */
  readonly lagSeconds: number;
  readonly failedPosition: bigint | null;
  readonly failure: string | null;
}

/**
 * Where a read model's projection stands against the event log: the checkpoint from
 * PostgreSQL, the head and the age of the first event not projected from the event store.
 * Each part is one cheap read whose cost does not grow with the lag (metrics scrape it often).
 */
export async function projectionStatus(db: Pool | PoolClient, store: EventStore, schema = 'read_model'): Promise<ProjectionStatus> {
  const { rows } = await db.query<StatusRow>(
    `select c.position, c.updated_at, c.failed_position, c.failure
       from (select 1) as one left join ${schemaName(schema)}.projection_checkpoints c on c.name = $1`,
    [READ_MODEL_PROJECTION],
  );
  const row = rows[0]!;
  const checkpoint = BigInt(row.position ?? '0');
  const [head, oldest] = await Promise.all([store.headPosition(), store.firstRecordedAfter(checkpoint)]);
  return {
    checkpoint,
    checkpointUpdatedAt: row.updated_at,
    head,
    lagEvents: head > checkpoint ? head - checkpoint : 0n,
    lagSeconds: oldest ? Math.max(0, (Date.now() - oldest.getTime()) / 1000) : 0,
    failedPosition: row.failed_position === null ? null : BigInt(row.failed_position),
    failure: row.failure,
  };
}

interface StatusRow {
  position: string | null;
  updated_at: Date | null;
  failed_position: string | null;
  failure: string | null;
}
