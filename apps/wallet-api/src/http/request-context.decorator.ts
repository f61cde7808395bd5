import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { CommandContext, HeldIdempotencyKey } from '../commands/command-context';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the IdempotencyInterceptor when the request holds an Idempotency-Key. */
    idempotency?: HeldIdempotencyKey;
  }
}

/** The CommandContext of the current request: its id and the idempotency key it holds. */
export const RequestContext = createParamDecorator((_: unknown, context: ExecutionContext): CommandContext => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  return { requestId: request.id, ...(request.idempotency ? { idempotency: request.idempotency } : {}) };
});
