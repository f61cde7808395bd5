import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { PlainAnswer } from '../http/api-answers.decorator';
import { apiSchemas, countOut, positionOut } from '../http/api-schemas';
import type { Pool } from 'pg';
import { EVENT_STORE, type EventStore } from '@wallet/event-store';
import { type ProjectorProgress, projectorProgress } from '@wallet/read-model';
import { PG_POOL } from '@wallet/postgres';
import { UnavailableError } from '../http/unavailable.error';
import { PublicRoute } from '../auth/route-access.decorator';

const liveSchema = z.strictObject({ status: z.literal('ok') }).register(apiSchemas, { id: 'Live' });

/** How far the projector is behind the end of the event log (positions as strings). */
const projectorCheckSchema = z.strictObject({
  checkpoint: positionOut.describe('The position the read model has reached'),
  headPosition: positionOut.describe('The last position of the event log'),
  lagEvents: countOut.describe('An upper bound of the events not yet projected'),
});

const readySchema = z
  .strictObject({ status: z.literal('ok'), checks: z.strictObject({ database: z.literal('up'), projector: projectorCheckSchema }) })
  .register(apiSchemas, { id: 'Ready' });

type ProjectorCheck = z.infer<typeof projectorCheckSchema>;

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
  @PlainAnswer(200, liveSchema)
  @ApiOperation({ summary: 'The process answers' })
  live(): z.infer<typeof liveSchema> {
    return { status: 'ok' };
  }

  /** Ready when the event store and read model database answers and the projector has not halted. */
  @Get('ready')
  @PublicRoute()
  @HttpCode(200)
  @PlainAnswer(200, readySchema, { 503: ['PROJECTOR_HALTED'] })
  @ApiOperation({ summary: 'The database answers and the projector has not halted' })
  async ready(): Promise<z.infer<typeof readySchema>> {
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
