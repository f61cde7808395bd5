import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AppModule } from './app.module';
import { clientErrorHandler, frameworkErrorHandler } from './http/framework-errors';
import { answerWrongMethods, registerCompression, registerCors } from './http/http-conventions';
import { registerDeepObjectQueries } from './http/deep-object-query';
import { setupOpenApi } from './http/openapi';
import { PinoNestLogger } from './http/pino-nest-logger';
import { APP_CONFIG, type CoreOptions, logDestination } from '@wallet/config';
import { IDEMPOTENCY_STORE } from '@wallet/event-store';
import { IdempotencyHooks } from './idempotency/idempotency.hooks';
import { AuthenticationHooks } from './auth/authentication.hooks';
import { Authenticator } from './auth/authenticator';
import { registerRateLimit } from './auth/rate-limit';
import { registerAdmissionControl } from './admission/admission-control';
import { serverTimeouts } from './admission/server-timeouts';
import { WalletMetrics } from './metrics/wallet-metrics';
import { registerConsole } from './console/console-routes';

const REQUEST_ID_PATTERN = /^[\w.:-]{1,128}$/;

/** Builds the HTTP application (not yet listening): used by main.ts and the end-to-end tests. */
export async function createApp(options: CoreOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    logger: { level: options.config.LOG_LEVEL, redact: ['req.headers.authorization', 'req.headers["idempotency-key"]'], stream: logDestination() },
    bodyLimit: options.config.BODY_LIMIT_BYTES,
    ...serverTimeouts(options.config),
    genReqId: requestId,
    // Closing is handled by the admission control: a problem 503 and Connection: close.
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
  // Before authentication: a request refused for load or shutdown costs no key lookup.
  const metrics = app.get(WalletMetrics);
  const admission = registerAdmissionControl(fastify, options.config.MAX_IN_FLIGHT, (reason) => metrics.observeShed(reason));
  metrics.observeAdmission(admission);
  await registerCors(fastify, options.config);
  new AuthenticationHooks(app.get(Authenticator), options.config).register(fastify);
  answerWrongMethods(fastify);
  registerDeepObjectQueries(fastify);
  await registerRateLimit(app, options.config);
  new IdempotencyHooks(app.get(IDEMPOTENCY_STORE), app.get(APP_CONFIG)).register(fastify);
  // Before the OpenAPI UI's static files, so that they are compressed too.
  await registerCompression(fastify);
  setupOpenApi(app, options.config);
  if (!registerConsole(fastify, options.config.CONSOLE_DIR)) {
    fastify.log.warn(`No console build in ${options.config.CONSOLE_DIR} (CONSOLE_DIR): /console is not served; \`npm run build\` makes it.`);
  }
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
