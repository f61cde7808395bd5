import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem';

/**
 * Answers with the problem for `exception`; a 5xx tells nothing of internals. A failure is
 * logged with its error. A command that kept losing races to other writers is expected
 * under contention: a warning with its code, without a stack per request.
 */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, exception: unknown): FastifyReply {
  request.failure = exception;
  const { status, body, headers } = toProblem(exception, request.url);
  if (body.code === 'WRITE_CONTENTION') request.log.warn({ code: body.code }, 'command lost its races to other writers; the client may retry');
  else if (status >= 500) request.log.error({ err: exception }, 'request failed');
  return reply.status(status).headers(headers).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
}
