import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem';

/** Answers with the problem for `exception`; a 5xx is logged and tells nothing of internals. */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, exception: unknown): FastifyReply {
  request.failure = exception;
  const { status, body, headers } = toProblem(exception, request.url);
  if (status >= 500) request.log.error({ err: exception }, 'request failed');
  return reply.status(status).headers(headers).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
}
