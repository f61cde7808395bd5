import { SetMetadata, UseInterceptors, applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { ZodType } from 'zod';
import { RequiresScope } from '../../auth/route-access.decorator';
import { READ_MODEL_QUERY_SCHEMA, ReadModelInterceptor } from './read-model.interceptor';

/**
 * Marks a GET route as a read-model query validated by `dto`: it honours minPosition and
 * answers with X-Read-Model-Position. It needs the wallets:read scope.
 */
export function ReadModelQuery(dto: { schema: ZodType }): MethodDecorator {
  return applyDecorators(
    RequiresScope('wallets:read'),
    SetMetadata(READ_MODEL_QUERY_SCHEMA, dto.schema),
    UseInterceptors(ReadModelInterceptor),
    ApiResponse({
      status: 503,
      description: 'READ_MODEL_BEHIND: the read model did not reach minPosition in time; retry after Retry-After. Every answer carries X-Read-Model-Position.',
    }),
  );
}

/** The checkpoint the ReadModelInterceptor found for this request. */
export const ReadModelCheckpoint = createParamDecorator((_: unknown, context: ExecutionContext): bigint => {
  const checkpoint = context.switchToHttp().getRequest<FastifyRequest>().readModelCheckpoint;
  if (checkpoint === undefined) throw new Error('ReadModelCheckpoint needs a route marked with @ReadModelQuery.');
  return checkpoint;
});
