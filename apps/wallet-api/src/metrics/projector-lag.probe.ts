import { READ_MODEL_PROJECTION } from '@wallet/read-model';
import type { Pool } from 'pg';

/** How far the read model trails the event log. */
export interface ProjectorLag {
  /** Positions between the checkpoint and the head of the log (positions may have gaps). */
  readonly events: number;
  /** Age of the oldest event the projector has not applied yet; 0 when it is caught up. */
  readonly seconds: number;
}

const LAG_SQL = /* sql */ `
  with checkpoint as (
    select coalesce((select position from read_model.projection_checkpoints where name = $1), 0) as position
  )
  select (select coalesce(max(position), 0) from event_store.events) - checkpoint.position as events,
         coalesce((select extract(epoch from now() - e.recorded_at) from event_store.events e
                    where e.position > checkpoint.position order by e.position limit 1), 0) as seconds
    from checkpoint`;

/**
 * Reads the projector's lag from PostgreSQL at scrape time, so it is right whichever process
 * runs the projector. Both lag gauges ask during one scrape; they share one query.
 */
export class ProjectorLagProbe {
  private inFlight: Promise<ProjectorLag> | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly onError: (error: unknown) => void,
  ) {}

  read(): Promise<ProjectorLag> {
    this.inFlight ??= this.query().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async query(): Promise<ProjectorLag> {
    try {
      const { rows } = await this.pool.query<{ events: string; seconds: string }>(LAG_SQL, [READ_MODEL_PROJECTION]);
      return { events: Number(rows[0]!.events), seconds: Math.max(0, Number(rows[0]!.seconds)) };
    } catch (error) {
      // A scrape still answers when the database does not; NaN says "unknown", 0 would lie.
      this.onError(error);
      return { events: Number.NaN, seconds: Number.NaN };
    }
  }
}
