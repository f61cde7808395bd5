import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem';

/**
 * Errors Fastify raises before routing (a malformed URL, an over-long path parameter) never
 * reach Nest's filters; this answers them as problems too.
 */
export function frameworkErrorHandler(error: Error, request: FastifyRequest, reply: FastifyReply): void {
  const { status, body, headers } = toProblem(error, request.url);
  void reply.status(status).headers(headers).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
}

/**
 * Requests Node's HTTP parser refuses (control characters in a header, say) have no request
 * object at all: answer with a minimal problem on the raw socket and close it.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) return;
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const payload = JSON.stringify(toProblem({ statusCode: status, message: 'The request could not be parsed.' }, '').body);
  socket.end(
    `HTTP/1.1 ${status} Bad Request\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(payload)}\r\nConnection: close\r\n\r\n${payload}`,
  );
}
