import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@wallet/config';
import { type ReadModelStatus, readModelStatus } from '@wallet/read-model';
import { PG_POOL } from '@wallet/postgres';
import type { Pool } from 'pg';
import { UnavailableError } from './unavailable.error';

const POLL_INTERVAL_MS = 15;

export const READ_MODEL_POSITION_HEADER = 'x-read-model-position';

/**
 * Read-your-writes: waits until the read model's checkpoint reaches a position, polling it
 * for at most READ_MODEL_WAIT_MS. Concurrent waiters share one checkpoint read at a time.
 */
@Injectable()
export class ReadModelGate {
  private reading: Promise<ReadModelStatus> | undefined;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The checkpoint once it is at `position` or beyond; 503 READ_MODEL_BEHIND when it does not get there in time. */
  async reach(position: bigint): Promise<bigint> {
    const deadline = Date.now() + this.config.READ_MODEL_WAIT_MS;
    for (;;) {
      const { checkpoint, failedPosition } = await this.status();
      if (checkpoint >= position) return checkpoint;
      const remainingMs = deadline - Date.now();
      // A halted projector will not move before someone repairs it: no point waiting.
      const halted = failedPosition !== null && failedPosition <= position;
      if (remainingMs <= 0 || halted) throw readModelBehind(position, checkpoint);
      await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_INTERVAL_MS, remainingMs)));
    }
  }

  private status(): Promise<ReadModelStatus> {
    this.reading ??= readModelStatus(this.pool).finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }
}

function readModelBehind(position: bigint, checkpoint: bigint): UnavailableError {
  return new UnavailableError('READ_MODEL_BEHIND', `The read model has reached position ${checkpoint}, not yet ${position}; retry shortly.`, {
    'retry-after': '1',
    [READ_MODEL_POSITION_HEADER]: checkpoint.toString(),
  });
}
