import fc from 'fast-check';
import { hostileKey, withOwnKey } from './refused-values';
import type { FieldPath, WriteRoute } from './write-routes';

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `value` with `replacement` at `path`; an own property even for `__proto__`. Leaves it alone if the path is gone. */
export function setAt(value: unknown, path: FieldPath, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value) && typeof head === 'number' && head < value.length) {
    const copy = [...value];
    copy[head] = setAt(copy[head], rest, replacement);
    return copy;
  }
  if (!isPlainObject(value)) return value;
  const key = String(head);
  const current = Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined;
  return withOwnKey(value, key, setAt(current, rest, replacement));
}

type Mutation = (body: unknown) => unknown;

/** One or two changes, each of which alone makes the body invalid. */
export function mutatedBody(route: WriteRoute): fc.Arbitrary<unknown> {
  const field: fc.Arbitrary<Mutation> = fc.constantFrom(...route.fields).chain((target) => target.bad.map((bad): Mutation => (body) => setAt(body, target.at, bad)));
  const unknownKey: fc.Arbitrary<Mutation> = fc
    .constantFrom(...route.strict)
    .chain((object) => fc.tuple(fc.constant(object), hostileKey.filter((key) => !object.allowed.includes(key)), fc.jsonValue({ maxDepth: 2 })))
    .map(([object, key, value]): Mutation => (body) => setAt(body, [...object.at, key], value));
  const mutation = fc.oneof({ weight: 3, arbitrary: field }, { weight: 1, arbitrary: unknownKey });
  return fc.array(mutation, { minLength: 1, maxLength: 2 }).map((mutations) => mutations.reduce<unknown>((body, mutate) => mutate(body), route.valid()));
}

/**
 * A body that a route knowing only `keys` might take: none at all, or an object with no other
 * key, whatever the values. Broader than what the route takes, so that filtering these out
 * leaves only bodies it must refuse.
 */
export function couldTake(text: string, keys: readonly string[]): boolean {
  if (text === '') return true;
  try {
    const value: unknown = JSON.parse(text);
    return isPlainObject(value) && Object.keys(value).every((key) => keys.includes(key));
  } catch {
    return false;
  }
}

/** A body the route might take: see `couldTake`; no body, or `{}`, only where a bare request is valid. */
export function couldBeValid(route: WriteRoute, text: string): boolean {
  const keys = route.strict.find((object) => object.at.length === 0)?.allowed ?? [];
  return couldTake(text, keys) && (route.bareIsValid === true || !couldTake(text, []));
}
