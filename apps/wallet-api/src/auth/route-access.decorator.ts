import { applyDecorators } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiForbiddenResponse, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Scope } from '@wallet/access';

/** Configuration flags that can open a route to callers without a key. */
export type PublicFlag = 'METRICS_PUBLIC' | 'DOCS_PUBLIC';

/** What the authentication hook reads from a route's Fastify config. */
export interface RouteAccess {
  /** The scope a key needs; a route that names none needs `admin`. */
  readonly requiredScope?: Scope;
  /** Open to everyone (true), or when the named configuration flag is on (else it needs `admin`). */
  readonly public?: true | PublicFlag;
  /** 'refused': a POST that will not take an Idempotency-Key (400). */
  readonly idempotencyKey?: 'refused';
}

/** The scope a key needs for this route, enforced by AuthenticationHooks and shown in the OpenAPI document. */
export const RequiresScope = (scope: Scope, access: Omit<RouteAccess, 'requiredScope'> = {}): MethodDecorator =>
  applyDecorators(
    RouteConfig({ ...access, requiredScope: scope } satisfies RouteAccess),
    ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED: no API key, or an unknown, revoked or expired one' }),
    ApiForbiddenResponse({ description: `FORBIDDEN: the API key lacks the "${scope}" scope${scope === 'admin' ? '' : ' (admin includes it)'}` }),
    ApiTooManyRequestsResponse({ description: 'RATE_LIMITED: over the API key\'s requests per second; retry after Retry-After' }),
  );

/** A route anyone may call, or anyone when `flag` is on. */
export const PublicRoute = (flag?: PublicFlag): MethodDecorator => RouteConfig({ public: flag ?? true } satisfies RouteAccess);
