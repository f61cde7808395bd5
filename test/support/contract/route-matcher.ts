/**
 * Which documented path a request target reaches, decided as Fastify's router (find-my-way,
 * with the options createApp leaves at their defaults) decides it, so that a response is
 * checked against the operation that really answered it.
 */

/** Fastify's default maxParamLength: a longer path parameter matches no route. */
const MAX_PARAM_LENGTH = 100;

export interface PathTemplate {
  /** As the OpenAPI document writes it: `/v1/wallets/{walletId}`. */
  readonly template: string;
  readonly pattern: RegExp;
  /** Characters outside parameters: the router prefers the more static of two matches. */
  readonly staticLength: number;
}

export function compileTemplate(template: string): PathTemplate {
  const parts = template.split(/\{[^}]+\}/);
  const escaped = parts.map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  // A parameter is never empty: `/v1/wallets//transactions` reaches no route.
  return { template, pattern: new RegExp(`^${escaped.join('([^/]+)')}$`), staticLength: parts.join('').length };
}

/** An absolute-form target (`http://host/path`): the router keeps its path. */
const ABSOLUTE_FORM = /^https?:\/\/.*?\//;

/**
 * The path the router matches: the target up to `?` or `#`, percent-decoded except for
 * reserved characters (so `%2F` stays inside a segment). Undefined for a target the router
 * refuses before matching: one with a malformed escape.
 */
export function routedPath(target: string): string | undefined {
  const path = target.replace(ABSOLUTE_FORM, '/').split(/[?#]/, 1)[0]!;
  try {
    return decodeURI(path);
  } catch {
    return undefined;
  }
}

export type RouteMatch = { readonly kind: 'route'; readonly template: PathTemplate } | { readonly kind: 'unrouted'; readonly reason: 'no route' | 'bad url' | 'parameter too long' };

/** The template the target reaches, or why it reaches none. */
export function matchRoute(templates: readonly PathTemplate[], target: string): RouteMatch {
  const path = routedPath(target);
  if (path === undefined) return { kind: 'unrouted', reason: 'bad url' };
  let best: PathTemplate | undefined;
  let tooLong = false;
  for (const template of templates) {
    const match = template.pattern.exec(path);
    if (!match) continue;
    if (match.slice(1).some((parameter) => parameter.length > MAX_PARAM_LENGTH)) {
      tooLong = true;
      continue;
    }
    if (!best || template.staticLength > best.staticLength) best = template;
  }
  if (best) return { kind: 'route', template: best };
  return { kind: 'unrouted', reason: tooLong ? 'parameter too long' : 'no route' };
}
