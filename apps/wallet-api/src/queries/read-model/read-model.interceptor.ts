import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Observable, from, switchMap } from 'rxjs';
import type { ZodType } from 'zod';
import { OwnerAccess } from '../../auth/owner-access';
import { READ_MODEL_POSITION_HEADER, ReadModelGate } from '../../http/read-model-gate.service';

export const READ_MODEL_QUERY_SCHEMA = Symbol('READ_MODEL_QUERY_SCHEMA');

declare module 'fastify' {
  interface FastifyRequest {
    /** The read model checkpoint the answer reflects at least; set by ReadModelInterceptor. */
    readModelCheckpoint?: bigint;
  }
}

/** The log positions a query's answer depends on. */
interface PositionParams {
  readonly minPosition?: bigint;
  readonly atPosition?: bigint;
}

/**
 * Before a query runs: waits until the read model has reached every position the query
 * names (minPosition, and atPosition for a balance, whose later events may still be in
 * flight), then sends that checkpoint as X-Read-Model-Position, on errors too. Then an
 * owner-scoped caller is checked against the read model it waited for.
 */
@Injectable()
export class ReadModelInterceptor implements NestInterceptor {
  constructor(
    private readonly gate: ReadModelGate,
    private readonly reflector: Reflector,
    private readonly owners: OwnerAccess,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const schema = this.reflector.get<ZodType<PositionParams> | undefined>(READ_MODEL_QUERY_SCHEMA, context.getHandler());
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return from(this.prepare(request, reply, schema)).pipe(switchMap(() => next.handle()));
  }

  /** Waits for the read model, then checks an owner-scoped caller may see what the path names. */
  private async prepare(request: FastifyRequest, reply: FastifyReply, schema: ZodType<PositionParams> | undefined): Promise<void> {
    const checkpoint = await this.gate.reach(requiredPosition(schema, request.query));
    request.readModelCheckpoint = checkpoint;
    void reply.header(READ_MODEL_POSITION_HEADER, checkpoint.toString());
    await this.owners.assertMayRead(request);
  }
}

/**
 * Interceptors run before validation, so the query is parsed here with the route's own
 * schema: an invalid one waits for nothing and is answered 400 by the validation pipe,
 * never 503.
 */
function requiredPosition(schema: ZodType<PositionParams> | undefined, query: unknown): bigint {
  const parsed = schema?.safeParse(query);
  if (!parsed?.success) return 0n;
  const { minPosition = 0n, atPosition = 0n } = parsed.data;
  return minPosition > atPosition ? minPosition : atPosition;
}
