import { applyDecorators } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiExtension } from '@nestjs/swagger';
import type { Scope } from '@wallet/access';
import type { AppConfig } from '@wallet/config';

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
    ApiExtension(ACCESS_EXTENSION, { requiredScope: scope } satisfies DocumentedAccess),
  );

/** A route anyone may call, or anyone when `flag` is on. */
export const PublicRoute = (flag?: PublicFlag): MethodDecorator =>
  applyDecorators(RouteConfig({ public: flag ?? true } satisfies RouteAccess), ApiExtension(ACCESS_EXTENSION, { public: flag ?? true } satisfies DocumentedAccess));

/** What the OpenAPI document learns of a route's access: it adds the security requirement and 401/403/429. */
export type DocumentedAccess = Pick<RouteAccess, 'requiredScope' | 'public'>;

/** Open to callers without a key. */
export const PUBLIC = 'public';

/**
 * What a route with this access needs: no key (PUBLIC) or a key with the scope. The one rule
 * AuthenticationHooks enforces and the OpenAPI document shows: a route that declares nothing
 * needs `admin`, as does one whose public flag is off.
 */
export function routeNeeds(access: DocumentedAccess, config: Pick<AppConfig, PublicFlag>): Scope | typeof PUBLIC {
  if (access.public === true) return PUBLIC;
  if (access.public !== undefined) return config[access.public] ? PUBLIC : 'admin';
  return access.requiredScope ?? 'admin';
}

export const ACCESS_EXTENSION = 'x-wallet-access';
