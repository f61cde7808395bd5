import type { EventStore } from '@wallet/event-store';
import { projectionStatus } from '@wallet/read-model';
import type { Pool } from 'pg';

/** How far the read model trails the event log. */
export interface ProjectorLag {
  /** Events after the read model's checkpoint. */
  readonly events: number;
  /** Age of the oldest event the projector has not applied yet; 0 when it is caught up. */
  readonly seconds: number;
}

/**
 * Reads the projector's lag from the read model and the event store at scrape time, so it is right whichever process
 * runs the projector. Both lag gauges ask during one scrape; they share one reading.
 */
export class ProjectorLagProbe {
  private inFlight: Promise<ProjectorLag> | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly store: EventStore,
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
      const status = await projectionStatus(this.pool, this.store);
      return { events: Number(status.lagEvents), seconds: status.lagSeconds };
    } catch (error) {
      // A scrape still answers when the database does not; NaN says "unknown", 0 would lie.
      this.onError(error);
      return { events: Number.NaN, seconds: Number.NaN };
    }
  }
}
