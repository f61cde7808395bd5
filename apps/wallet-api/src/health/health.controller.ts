import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { PG_POOL } from '@wallet/read-model';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready when the event store and read model database answers. */
  @Get('ready')
  @HttpCode(200)
  async ready(): Promise<{ status: 'ok'; checks: { database: 'up' } }> {
    try {
      await this.pool.query('select 1');
    } catch {
      throw new ServiceUnavailableException('The database does not answer.');
    }
    return { status: 'ok', checks: { database: 'up' } };
  }
}
