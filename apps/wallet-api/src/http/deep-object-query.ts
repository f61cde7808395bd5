import type { FastifyInstance } from 'fastify';

// `name[key]` as a query-string key: OpenAPI's deepObject style (`metadata[plan]=gold`).
const DEEP_OBJECT_KEY = /^([A-Za-z][A-Za-z0-9]*)\[([^[\]]*)\]$/;
// A key no object of the service holds, and one a schema's output object would take for its prototype.
const UNFOLDABLE_KEYS = new Set(['__proto__']);

/**
 * Gathers `name[key]=value` keys of a parsed query string into an object `name: { key: value }`,
 * so that the route's schema validates it as one parameter. A name also given plainly
 * (`metadata=x&metadata[a]=b`) is left alone: the schema then refuses the bracketed keys as
 * unknown, as is `name[__proto__]`. Own properties are defined, never assigned, so no key
 * reaches a prototype.
 */
export function foldDeepObjects(query: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const folded: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    const match = DEEP_OBJECT_KEY.exec(key);
    if (!match || Object.hasOwn(query, match[1]!) || UNFOLDABLE_KEYS.has(match[2]!)) {
      define(folded, key, value);
      continue;
    }
    if (!Object.hasOwn(folded, match[1]!)) define(folded, match[1]!, {});
    define(folded[match[1]!] as Record<string, unknown>, match[2]!, value);
  }
  return folded;
}

/** Folds every request's query string before the route validates it. */
export function registerDeepObjectQueries(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', (request, _reply, done) => {
    request.query = foldDeepObjects(request.query as Record<string, unknown>);
    done();
  });
}

function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
