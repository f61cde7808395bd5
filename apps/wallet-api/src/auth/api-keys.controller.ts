import { Body, Controller, Get, Header, HttpCode, Inject, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { PlainAnswer } from '../http/api-answers.decorator';
import { type ApiKeyAnswer, type ApiKeyPage, type NewApiKeyAnswer, apiKeyPageSchema, apiKeySchema, newApiKeyAnswerSchema } from './api-key.schema';
import { createApiKey, listApiKeys, presentApiKey, revokeApiKey } from '@wallet/access';
import { CLOCK, type Clock } from '@wallet/config';
import { DomainError } from '@wallet/domain';
import { PG_POOL } from '@wallet/postgres';
import type { Pool } from 'pg';
import { toPage } from '../http/page.presenter';
import { ListApiKeysQueryDto, NewApiKeyDto } from './api-keys.dto';
import { Authenticator } from './authenticator';
import { RequiresScope } from './route-access.decorator';
import { EmptyBody } from '../http/empty-body.decorator';
import { ApiKeyIdPipe } from '../http/id.pipe';

/** Admin only; no Idempotency-Key here: a new key's answer holds a secret that is never stored. */
const KeyAdmin = (): MethodDecorator => RequiresScope('admin', { idempotencyKey: 'refused' });

@ApiTags('api keys')
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly authenticator: Authenticator,
  ) {}

  @Post()
  @KeyAdmin()
  @HttpCode(201)
  @Header('cache-control', 'no-store')
  @PlainAnswer(201, newApiKeyAnswerSchema, {}, true)
  @ApiOperation({ summary: 'Make an API key; its secret is in this answer only' })
  async create(@Body() body: NewApiKeyDto): Promise<NewApiKeyAnswer> {
    const now = this.clock.now();
    if (body.expiresAt !== undefined && Date.parse(body.expiresAt) <= now.getTime()) {
      throw new DomainError('VALIDATION_FAILED', 'expiresAt: must lie in the future.');
    }
    const { key, secret } = await createApiKey(this.pool, body);
    return { key: presentApiKey(key, now), secret };
  }

  @Get()
  @KeyAdmin()
  @PlainAnswer(200, apiKeyPageSchema, { 400: ['VALIDATION_FAILED'] })
  @ApiOperation({ summary: 'API keys in creation order, optionally of one owner' })
  async list(@Query() query: ListApiKeysQueryDto): Promise<ApiKeyPage> {
    const { ownerType, ownerRef, limit, cursor } = query as unknown as { ownerType?: string; ownerRef?: string; limit: number; cursor?: { id: string } };
    const owner = ownerType !== undefined && ownerRef !== undefined ? { ownerType, ownerRef } : undefined;
    const rows = await listApiKeys(this.pool, { owner, afterId: cursor?.id, limit: limit + 1 });
    const now = this.clock.now();
    return toPage(rows, limit, (key) => presentApiKey(key, now), (key) => ({ id: key.id }));
  }

  @Post(':keyId/revoke')
  @KeyAdmin()
  @HttpCode(200)
  @PlainAnswer(200, apiKeySchema, { 400: ['VALIDATION_FAILED'], 404: ['NOT_FOUND'] })
  @ApiOperation({ summary: 'Revoke an API key at once (revoking twice changes nothing)' })
  async revoke(
    @Param(ApiKeyIdPipe.parameter, ApiKeyIdPipe) keyId: string,
    @EmptyBody() _body: unknown,
  ): Promise<ApiKeyAnswer> {
    const key = await revokeApiKey(this.pool, keyId);
    if (!key) throw new NotFoundException('No API key has this id.');
    this.authenticator.forget(key.id);
    return presentApiKey(key, this.clock.now());
  }
}
