/** Why and where the projector of this process stopped for good. */
export interface ProjectorHalt {
  /** The event it could not apply, when that is what stopped it. */
  readonly position: bigint | null;
  readonly reason: string;
  readonly at: Date;
}

/**
 * What the projector running in this process knows of itself, kept in memory: a halt is
 * visible to /health/ready and the metrics even when the database cannot be read or written
 * (recording the halt in the checkpoint table may have failed).
 */
export class ProjectorState {
  private haltedWith: ProjectorHalt | null = null;

  get halt(): ProjectorHalt | null {
    return this.haltedWith;
  }

  markHalted(position: bigint | null, reason: string): void {
    this.haltedWith = { position, reason, at: new Date() };
  }
}
