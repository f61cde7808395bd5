import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { OwnerRef } from '@wallet/access';
import type { FastifyRequest } from 'fastify';

/** The owner the request's API key is bound to; undefined for a key bound to none. */
export const CallerOwner = createParamDecorator(
  (_: unknown, context: ExecutionContext): OwnerRef | undefined => context.switchToHttp().getRequest<FastifyRequest>().caller?.owner,
);
