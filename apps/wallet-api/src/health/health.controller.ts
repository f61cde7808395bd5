import { Controller, Get, HttpCode, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { PlainAnswer } from '../http/api-answers.decorator';
import { apiSchemas } from '../http/api-schemas';
import { APP_CONFIG, type AppConfig } from '@wallet/config';
import { type ProjectionStatus, ProjectorState } from '@wallet/read-model';
import { UnavailableError } from '../http/unavailable.error';
import { PublicRoute } from '../auth/route-access.decorator';
import { type Readiness, readiness } from './readiness';
import { type ProbedStatus, ReadinessProbe } from './readiness-probe';
import { projectorCheckSchema, type unreadyChecksSchema } from './readiness-checks.schema';

const liveSchema = z.strictObject({ status: z.literal('ok') }).register(apiSchemas, { id: 'Live' });

const readySchema = z
  .strictObject({ status: z.literal('ok'), checks: z.strictObject({ database: z.literal('up'), projector: projectorCheckSchema }) })
  .register(apiSchemas, { id: 'Ready' });

type ProjectorCheck = z.infer<typeof projectorCheckSchema>;

/** When a load balancer or client should ask again, by why the instance is unready (seconds). */
const RETRY_AFTER_SECONDS: Record<Exclude<Readiness, { ready: true }>['code'], string> = {
  PROJECTOR_HALTED: '30',
  READ_MODEL_BEHIND: '5',
  SERVICE_UNAVAILABLE: '2',
};

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(ReadinessProbe) private readonly probe: ReadinessProbe,
    @Inject(ProjectorState) private readonly projector: ProjectorState,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('live')
  @PublicRoute()
  @HttpCode(200)
  @PlainAnswer(200, liveSchema)
  @ApiOperation({ summary: 'The process answers' })
  live(): z.infer<typeof liveSchema> {
    return { status: 'ok' };
  }

  /**
   * Ready when the database answers within the check's deadline (under a second), the
   * projector has not halted, and the read model trails the log by no more than
   * READY_MAX_LAG_EVENTS and READY_MAX_LAG_SECONDS. A halt of the projector of this process
   * is known without the database.
   */
  @Get('ready')
  @PublicRoute()
  @HttpCode(200)
  @PlainAnswer(200, readySchema, { 503: ['PROJECTOR_HALTED', 'READ_MODEL_BEHIND', 'SERVICE_UNAVAILABLE'] })
  @ApiOperation({ summary: 'The database answers within a second, the projector has not halted and the read model is not far behind' })
  async ready(): Promise<z.infer<typeof readySchema>> {
    const halt = this.projector.halt;
    // A halt known in memory needs no database: the answer comes at once.
    const status = halt ? undefined : await this.probe.status();
    const verdict = readiness({ halt, status }, { maxLagEvents: this.config.READY_MAX_LAG_EVENTS, maxLagSeconds: this.config.READY_MAX_LAG_SECONDS });
    if (!verdict.ready) {
      // The checks go with the refusal when the database answered: the lag and the head stay visible.
      const checks = status ? { checks: unreadyChecks(status) } : {};
      throw new UnavailableError(verdict.code, verdict.detail, { 'retry-after': RETRY_AFTER_SECONDS[verdict.code] }, 503, checks);
    }
    return { status: 'ok', checks: { database: 'up', projector: projectorCheck(status!) } };
  }
}

function projectorCheck({ checkpoint, head, lagEvents, lagSeconds }: ProjectionStatus): ProjectorCheck {
  return { checkpoint: checkpoint.toString(), headPosition: head.toString(), lagEvents: lagEvents.toString(), lagSeconds: Math.round(lagSeconds * 10) / 10 };
}

function unreadyChecks(status: ProbedStatus): z.infer<typeof unreadyChecksSchema> {
  return { database: status.readOnly ? 'read-only' : 'up', projector: projectorCheck(status) };
}
