import { type Caller, type Scope, allows } from '@wallet/access';
import type { AppConfig } from '@wallet/config';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendProblem } from '../http/send-problem';
import { UnavailableError } from '../http/unavailable.error';
import { AccessError } from './access.error';
import type { Authenticator } from './authenticator';
import { FailedAuthentications } from './failed-authentications';
import { PUBLIC, type RouteAccess, routeNeeds } from './route-access.decorator';

declare module 'fastify' {
  interface FastifyRequest {
    /** The key that authenticated the request; unset on public routes. */
    caller?: Caller;
  }
}

/** Any valid key will do: a path that matches no route answers 404 only to a caller with a key. */
const ANY_KEY = 'any key';

type Needs = Scope | typeof ANY_KEY | typeof PUBLIC;

/** `Bearer <token>`: the token is printable ASCII without spaces, as keys are. */
const BEARER = /^Bearer +([\x21-\x7e]{1,512}) *$/i;

/**
 * Authentication and scopes as one Fastify onRequest hook, so nothing else (validation,
 * idempotency, the handler) runs for a caller without a valid key or the route's scope.
 * Routes declare their scope with RequiresScope; a route that declares none needs admin.
 */
export class AuthenticationHooks {
  private readonly failures: FailedAuthentications;

  constructor(
    private readonly authenticator: Authenticator,
    private readonly config: AppConfig,
  ) {
    this.failures = new FailedAuthentications(config.AUTH_FAILURES_PER_MINUTE);
  }

  register(fastify: FastifyInstance): void {
    fastify.addHook('onRequest', (request, reply, done) => {
      const needs = this.needs(request);
      if (needs === PUBLIC) return done();
      const secret = BEARER.exec(request.headers.authorization ?? '')?.[1];
      // An address that used up its failures pays no more lookups; keys this process knows still pass.
      if (this.failures.exhausted(request.ip) && !(secret !== undefined && this.authenticator.remembers(secret))) {
        return void this.tooManyFailures(request, reply);
      }
      if (secret === undefined) return void this.refuse(request, reply, 'This route needs an API key: send "Authorization: Bearer <key>".');
      this.authenticator.authenticate(secret).then((caller) => {
        try {
          if (!caller) return void this.refuse(request, reply, 'The API key is unknown, revoked or expired.');
          if (needs !== ANY_KEY && !allows(caller.scopes, needs)) {
            return void sendProblem(request, reply, new AccessError('FORBIDDEN', `This API key does not have the "${needs}" scope this route needs.`));
          }
          request.caller = caller;
          done();
        } catch (error) {
          done(error as Error);
        }
      }, done);
    });
  }

  private refuse(request: FastifyRequest, reply: FastifyReply, detail: string): void {
    this.failures.record(request.ip);
    sendProblem(request, reply, new AccessError('UNAUTHENTICATED', detail));
  }

  private tooManyFailures(request: FastifyRequest, reply: FastifyReply): void {
    const retryAfter = String(this.failures.retryAfterS(request.ip));
    const detail = `Too many requests without a valid API key from this address; retry after ${retryAfter} s.`;
    sendProblem(request, reply, new UnavailableError('RATE_LIMITED', detail, { 'retry-after': retryAfter }, 429));
  }

  private needs(request: FastifyRequest): Needs {
    if (request.is404) return ANY_KEY;
    const path = request.url;
    if (path === '/docs' || path.startsWith('/docs/') || path.startsWith('/docs?')) return routeNeeds({ public: 'DOCS_PUBLIC' }, this.config);
    return routeNeeds((request.routeOptions.config ?? {}) as RouteAccess, this.config);
  }
}
