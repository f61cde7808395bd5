import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { PROBLEM_CONTENT_TYPE, problem, toProblem } from './problem';

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
 * object at all, and one whose headers or body did not arrive within REQUEST_TIMEOUT_MS is cut
 * off by the server: answer with a minimal problem on the raw socket and close it. Nothing is
 * written once an answer has begun on the socket.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  const answer = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (!socket.writable || answer?.headersSent) return void socket.destroy();
  const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const body =
    status === 408
      ? problem(408, 'REQUEST_TIMEOUT', 'The request did not arrive in full in time; send it again, faster.').body
      : toProblem({ statusCode: status, message: 'The request could not be parsed.' }, '').body;
  const payload = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(payload)}\r\nConnection: close\r\n\r\n${payload}`,
  );
}
