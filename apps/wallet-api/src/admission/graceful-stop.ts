import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { admissionControlOf } from './admission-control';

/**
 * Stops the application the way SIGTERM asks: first every new request is answered 503 with
 * `Connection: close` (the server still listens, so a request on a new or a kept-alive
 * connection gets that answer rather than a refused or reset connection) while the requests
 * in flight finish, their answers closing their connections too; then the application closes
 * (background work, event streams, the listening socket, the pool). Only then are the
 * connections still open closed: each has been idle since its last answer, so no request on
 * them was read, and none is cut off mid-way.
 */
export async function stopGracefully(app: NestFastifyApplication): Promise<void> {
  const admission = admissionControlOf(app.getHttpAdapter().getInstance() as FastifyInstance);
  admission.startDraining();
  await admission.idle();
  await app.close();
}
