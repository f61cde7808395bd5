import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import type { FastifyRequest } from 'fastify';
import type { CommandContext } from '../write-path/command-context';

/**
 * The CommandContext of the current request: its id, its caller and the idempotency key it holds, with
 * the status the route answers success with (stored with the answer for replays).
 */
export const RequestContext = createParamDecorator((_: unknown, context: ExecutionContext): CommandContext => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  const { id: requestId, caller } = request;
  if (!request.idempotency) return { requestId, caller };
  const successStatus = (Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) as number | undefined) ?? 201;
  return { requestId, caller, idempotency: { ...request.idempotency, successStatus } };
});
