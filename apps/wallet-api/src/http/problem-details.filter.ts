import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IdempotentReplay } from '../idempotency/idempotent-replay';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem';

/** Every error leaves as application/problem+json; a 5xx is logged and tells nothing of internals. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof IdempotentReplay) return replay(reply, exception);
    const { status, body, headers } = toProblem(exception, request.url);
    if (status >= 500) request.log.error({ err: exception }, 'request failed');
    void reply
      .status(status)
      .headers(headers)
      .header('content-type', PROBLEM_CONTENT_TYPE)
      .send(body);
  }
}

function replay(reply: FastifyReply, { response }: IdempotentReplay): void {
  void reply.status(response.status).header('idempotency-replayed', 'true');
  if (response.status >= 400) void reply.header('content-type', PROBLEM_CONTENT_TYPE);
  void reply.send(response.body);
}
