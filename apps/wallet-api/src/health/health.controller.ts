import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { EVENT_STORE, type EventStore } from '@wallet/event-store';
import { PG_POOL, type ProjectorProgress, projectorProgress } from '@wallet/read-model';
import { UnavailableError } from '../http/unavailable.error';
import { PublicRoute } from '../auth/route-access.decorator';

/** How far the projector is behind the end of the event log (positions as strings). */
interface ProjectorCheck {
  checkpoint: string;
  headPosition: string;
  lagEvents: string;
}

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get('live')
  @PublicRoute()
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready when the event store and read model database answers and the projector has not halted. */
  @Get('ready')
  @PublicRoute()
  @HttpCode(200)
  async ready(): Promise<{ status: 'ok'; checks: { database: 'up'; projector: ProjectorCheck } }> {
    const progress = await this.progress();
    if (progress.failedPosition !== null) {
      throw new UnavailableError('PROJECTOR_HALTED', `The projector halted at position ${progress.failedPosition}; the read model stays at ${progress.checkpoint}.`);
    }
    return { status: 'ok', checks: { database: 'up', projector: projectorCheck(progress) } };
  }

  private async progress(): Promise<ProjectorProgress> {
    try {
      return await projectorProgress(this.pool, this.store);
    } catch {
      throw new ServiceUnavailableException('The database does not answer.');
    }
  }
}

function projectorCheck({ checkpoint, headPosition }: ProjectorProgress): ProjectorCheck {
  // Rolled-back appends leave gaps in positions, so the lag is an upper bound in events.
  const lag = headPosition > checkpoint ? headPosition - checkpoint : 0n;
  return { checkpoint: checkpoint.toString(), headPosition: headPosition.toString(), lagEvents: lag.toString() };
}
