import compress from '@fastify/compress';
import cors from '@fastify/cors';
import { MethodNotAllowedException } from '@nestjs/common';
import type { AppConfig } from '@wallet/config';
import type { FastifyInstance } from 'fastify';
import { sendProblem } from './send-problem';

/** Answers smaller than this go uncompressed: compressing them costs more than it saves. */
const COMPRESSION_THRESHOLD_BYTES = 1_024;

/** What a browser on a listed origin may send, and which answer headers its code may read. */
const CORS_REQUEST_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'last-event-id', 'x-request-id'];
const CORS_EXPOSED_HEADERS = ['x-read-model-position', 'idempotency-replayed', 'retry-after', 'x-request-id', 'allow'];
const CORS_PREFLIGHT_MAX_AGE_S = 600;

/**
 * gzip or br when the client asks and the answer is large enough. The event stream writes to
 * the raw socket and so is never buffered for compression. Request bodies are not
 * decompressed: clients send them plain.
 */
export async function registerCompression(fastify: FastifyInstance): Promise<void> {
  await fastify.register(compress, { global: true, globalDecompression: false, threshold: COMPRESSION_THRESHOLD_BYTES, encodings: ['br', 'gzip'] });
}

/**
 * Cross-origin calls only from the origins listed in CORS_ORIGINS (none by default: then no
 * CORS header is ever sent). Registered before authentication, so a preflight, which never
 * carries a key, is answered by this plugin.
 */
export async function registerCors(fastify: FastifyInstance, config: AppConfig): Promise<void> {
  if (config.CORS_ORIGINS.length === 0) return;
  await fastify.register(cors, {
    origin: [...config.CORS_ORIGINS],
    methods: ['GET', 'HEAD', 'POST'],
    allowedHeaders: CORS_REQUEST_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: CORS_PREFLIGHT_MAX_AGE_S,
    strictPreflight: true,
  });
}

/**
 * A method a known path does not take answers 405 with `Allow` (RFC 9110), not 404. Like a
 * 404, it is answered only to a caller with a valid key: register after authentication.
 */
export function answerWrongMethods(fastify: FastifyInstance): void {
  const routes: Array<{ pattern: RegExp; methods: Set<string> }> = [];
  fastify.addHook('onRoute', (route) => {
    // OPTIONS is the CORS preflight's catch-all route, not a method of any one path.
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((method) => method !== 'OPTIONS');
    if (methods.length === 0) return;
    const pattern = routePattern(route.url);
    const known = routes.find((entry) => entry.pattern.source === pattern.source);
    if (known) for (const method of methods) known.methods.add(method);
    else routes.push({ pattern, methods: new Set(methods) });
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!request.is404) return done();
    const path = request.url.split('?', 1)[0]!;
    const allowed = new Set(routes.filter((route) => route.pattern.test(path)).flatMap((route) => [...route.methods]));
    if (allowed.size === 0) return done();
    const allow = [...allowed].sort().join(', ');
    void reply.header('allow', allow);
    sendProblem(request, reply, new MethodNotAllowedException(`${request.method} is not allowed on this path; it takes ${allow}.`));
  });
}

/** `/v1/wallets/:walletId` as a regular expression for one path segment per parameter. */
function routePattern(url: string): RegExp {
  const escaped = url
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment === '*' ? '.*' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${escaped}/?$`);
}
