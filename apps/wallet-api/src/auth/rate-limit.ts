import rateLimit from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '@wallet/config';
import { UnavailableError } from '../http/unavailable.error';

/** Distinct keys whose counts are kept at once (per process). */
const TRACKED_KEYS_MAX = 100_000;

/**
 * Requests per second per API key (the key's own limit, else RATE_LIMIT_PER_SECOND), counted
 * in one-second windows per process. Runs after authentication: public routes are not
 * counted, and a request without a valid key never gets this far. Over the limit: 429
 * RATE_LIMITED with Retry-After.
 */
export async function registerRateLimit(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    hook: 'onRequest',
    timeWindow: 1_000,
    cache: TRACKED_KEYS_MAX,
    keyGenerator: (request) => request.caller?.keyId ?? request.ip,
    allowList: (request) => request.caller === undefined,
    max: (request) => request.caller?.rateLimitPerSecond ?? config.RATE_LIMIT_PER_SECOND,
    addHeadersOnExceeding: { 'x-ratelimit-limit': true, 'x-ratelimit-remaining': true, 'x-ratelimit-reset': true },
    addHeaders: { 'x-ratelimit-limit': true, 'x-ratelimit-remaining': true, 'x-ratelimit-reset': true, 'retry-after': true },
    errorResponseBuilder: (_request, context) =>
      new UnavailableError('RATE_LIMITED', `This API key may make ${context.max} requests per second; retry after ${context.after}.`, {}, 429),
  });
}
