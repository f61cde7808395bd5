import { SetMetadata, UseInterceptors, applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Scope } from '@wallet/access';
import type { FastifyRequest } from 'fastify';
import type { ZodType } from 'zod';
import { type ProblemCodes, QueryAnswer } from '../../http/api-answers.decorator';
import { RequiresScope } from '../../auth/route-access.decorator';
import { READ_MODEL_QUERY_SCHEMA, ReadModelInterceptor } from './read-model.interceptor';

/**
 * Marks a GET route as a read-model query validated by `dto`: it honours minPosition and
 * answers with X-Read-Model-Position. It needs the `scope` (wallets:read unless named);
 * `answer` is the schema of its success answer and `problems` the codes it may answer
 * besides those of every query.
 */
export function ReadModelQuery(dto: { schema: ZodType }, answer: ZodType, problems: ProblemCodes = {}, scope: Scope = 'wallets:read'): MethodDecorator {
  return applyDecorators(
    RequiresScope(scope),
    SetMetadata(READ_MODEL_QUERY_SCHEMA, dto.schema),
    UseInterceptors(ReadModelInterceptor),
    QueryAnswer(answer, problems),
  );
}

/** The checkpoint the ReadModelInterceptor found for this request. */
export const ReadModelCheckpoint = createParamDecorator((_: unknown, context: ExecutionContext): bigint => {
  const checkpoint = context.switchToHttp().getRequest<FastifyRequest>().readModelCheckpoint;
  if (checkpoint === undefined) throw new Error('ReadModelCheckpoint needs a route marked with @ReadModelQuery.');
  return checkpoint;
});
