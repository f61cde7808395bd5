import type { EventStore } from '@wallet/event-store';
import type { Pool } from 'pg';
import { READ_MODEL_PROJECTION } from '../projector/checkpoints';

/** How far the read model has come, and where its projector stopped if it failed. */
export interface ReadModelStatus {
  readonly checkpoint: bigint;
  readonly failedPosition: bigint | null;
}

/** The projector's progress against the end of the event log. */
export interface ProjectorProgress extends ReadModelStatus {
  readonly headPosition: bigint;
}

interface StatusRow {
  checkpoint: string | null;
  failed_position: string | null;
}

const STATUS_COLUMNS = `
  (select position from read_model.projection_checkpoints where name = $1) as checkpoint,
  (select failed_position from read_model.projection_checkpoints where name = $1) as failed_position`;

/**
 * The read model's checkpoint, read without writing (a missing row means nothing is
 * projected yet): queries poll it to wait for a position.
 */
export async function readModelStatus(db: Pool): Promise<ReadModelStatus> {
  const { rows } = await db.query<StatusRow>(`select ${STATUS_COLUMNS}`, [READ_MODEL_PROJECTION]);
  return toStatus(rows[0]!);
}

/** The checkpoint and the last position of the event log, two cheap reads (health). */
export async function projectorProgress(db: Pool, store: EventStore): Promise<ProjectorProgress> {
  const [status, headPosition] = await Promise.all([readModelStatus(db), store.headPosition()]);
  return { ...status, headPosition };
}

function toStatus(row: StatusRow): ReadModelStatus {
  return { checkpoint: BigInt(row.checkpoint ?? 0), failedPosition: row.failed_position === null ? null : BigInt(row.failed_position) };
}
