import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AppModule } from './app.module';
import { clientErrorHandler, frameworkErrorHandler } from './http/framework-errors';
import { answerWrongMethods, registerCompression, registerCors } from './http/http-conventions';
import { setupOpenApi } from './http/openapi';
import { PROBLEM_CONTENT_TYPE, problem } from './http/problem';
import { PinoNestLogger } from './http/pino-nest-logger';
import { APP_CONFIG, type CoreOptions } from '@wallet/config';
import { IDEMPOTENCY_STORE } from '@wallet/event-store';
import { IdempotencyHooks } from './idempotency/idempotency.hooks';
import { AuthenticationHooks } from './auth/authentication.hooks';
import { Authenticator } from './auth/authenticator';
import { registerRateLimit } from './auth/rate-limit';

const REQUEST_ID_PATTERN = /^[\w.:-]{1,128}$/;

/** Builds the HTTP application (not yet listening): used by main.ts and the end-to-end tests. */
export async function createApp(options: CoreOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    logger: { level: options.config.LOG_LEVEL, redact: ['req.headers.authorization', 'req.headers["idempotency-key"]'] },
    bodyLimit: options.config.BODY_LIMIT_BYTES,
    genReqId: requestId,
    // Closing is handled by closeConnectionsOnShutdown: a problem 503 and Connection: close.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
  });
  const fastify = adapter.getInstance();
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(options), adapter, {
    logger: new PinoNestLogger(fastify.log),
    bodyParser: false,
  });
  acceptEmptyJsonBodies(fastify);
  echoRequestId(fastify);
  await registerCors(fastify, options.config);
  new AuthenticationHooks(app.get(Authenticator), options.config).register(fastify);
  answerWrongMethods(fastify);
  await registerRateLimit(app, options.config);
  new IdempotencyHooks(app.get(IDEMPOTENCY_STORE), app.get(APP_CONFIG)).register(fastify);
  closeConnectionsOnShutdown(fastify);
  // Before the OpenAPI UI's static files, so that they are compressed too.
  await registerCompression(fastify);
  setupOpenApi(app, options.config);
  await app.init();
  return app;
}

/** Honours a caller's X-Request-Id when it is sane; otherwise makes one up. */
function requestId(request: IncomingMessage): string {
  const header = request.headers['x-request-id'];
  return typeof header === 'string' && REQUEST_ID_PATTERN.test(header) ? header : randomUUID();
}

function echoRequestId(fastify: FastifyInstance): void {
  // Callback-style hooks (here and below) cost no promise per request.
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
}

/**
 * Once the server is closing, every response says `Connection: close`, so keep-alive sockets
 * of requests that were in flight close with them instead of holding shutdown up, and a
 * request that still arrives gets a 503 problem.
 */
function closeConnectionsOnShutdown(fastify: FastifyInstance): void {
  let closing = false;
  fastify.addHook('preClose', async () => {
    closing = true;
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!closing) return done();
    const { status, body } = problem(503, 'SERVICE_UNAVAILABLE', 'The server is shutting down; retry on another instance or later.', {}, {});
    void reply.status(status).header('connection', 'close').header('retry-after', '1').type(PROBLEM_CONTENT_TYPE).send({ ...body, instance: request.url });
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });
}

/**
 * Many clients send `Content-Type: application/json` with no body on confirm or reject.
 * Fastify's JSON parser refuses that; this one reads it as no body and otherwise defers to
 * Fastify's own (prototype-poisoning-safe) parser.
 */
function acceptEmptyJsonBodies(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '' || body.length === 0) return done(null, undefined);
    return parseJson(request, body.toString(), done);
  });
}
