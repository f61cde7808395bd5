import type { AppConfig } from '@wallet/config';
import type { FastifyHttpOptions } from 'fastify';
import type { Server } from 'node:http';

/**
 * How often Node's HTTP server checks the request and headers timeouts of its connections.
 * Node's default (30 s) would let a timed-out request hold its connection up to 30 s more.
 */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

/**
 * The HTTP server's bounds on slow clients (Fastify's defaults set none on the request):
 * - the headers and the body of a request must arrive within REQUEST_TIMEOUT_MS of its first
 *   byte, or the client gets 408 REQUEST_TIMEOUT and the connection is closed (a client that
 *   trickles its body holds a connection, and an in-flight slot, no longer than that);
 * - a kept-alive connection idle for KEEP_ALIVE_TIMEOUT_MS is closed (set it above the idle
 *   timeout of any load balancer in front, so that the balancer closes first).
 * No inactivity timeout is set on a request being answered: its own bounds are the
 * database's statement timeout and READ_MODEL_WAIT_MS, and the event stream is silent up to
 * a heartbeat's 15 s.
 */
export function serverTimeouts(config: AppConfig): Pick<FastifyHttpOptions<Server>, 'requestTimeout' | 'keepAliveTimeout' | 'connectionTimeout' | 'http'> {
  return {
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    keepAliveTimeout: config.KEEP_ALIVE_TIMEOUT_MS,
    connectionTimeout: 0,
    http: {
      headersTimeout: config.REQUEST_TIMEOUT_MS,
      requestTimeout: config.REQUEST_TIMEOUT_MS,
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    },
  };
}
