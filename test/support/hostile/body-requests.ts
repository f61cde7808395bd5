import fc from 'fast-check';
import { couldBeValid, mutatedBody } from './body-mutations';
import { type Limits, refusedByTheDomain } from './domain-refusals';
import type { Fixture } from './fixture';
import type { HostileRequest } from './hostile-request';
import { refusedInTheLifecycle } from './lifecycle-refusals';
import { anyText, asciiText, unstorableText } from './refused-values';
import { type WriteRoute, writeRoutes } from './write-routes';

/** The server's body limit: a body past it must be refused as too large, whatever it says. */
const BODY_LIMIT_BYTES = 256 * 1024;

const toRequest = (route: WriteRoute, body: string, label: string, expect?: readonly number[]): HostileRequest => ({ label: `${route.name}: ${label}`, method: 'POST', path: route.path, body, expect });

/** Hostile bodies on every write route: mutated, random, truncated, reshaped, too large, or refused by the domain (the lifecycle routes' refusals too). */
export function bodyRequests(fixture: Fixture, limits: Limits): fc.Arbitrary<HostileRequest> {
  const routes = writeRoutes(fixture);
  const route = fc.constantFrom(...routes);
  const mutated = route.chain((target) => mutatedBody(target).map((body) => toRequest(target, JSON.stringify(body), 'mutated body')));
  const randomJson = fc
    .tuple(route, fc.jsonValue())
    .map(([target, value]) => [target, JSON.stringify(value) ?? 'null'] as const)
    .filter(([target, text]) => !couldBeValid(target, text))
    .map(([target, text]) => toRequest(target, text, 'random JSON'));
  const randomText = fc
    .tuple(route, fc.oneof(anyText(300), asciiText(0, 300), unstorableText))
    .filter(([target, text]) => !couldBeValid(target, text))
    .map(([target, text]) => toRequest(target, text, 'random text'));
  const truncated = fc.tuple(route, fc.nat()).map(([target, at]) => {
    const text = JSON.stringify(target.valid());
    return toRequest(target, text.slice(0, 1 + (at % (text.length - 1))), 'truncated JSON');
  });
  const reshaped = fc.tuple(route, fc.constantFrom('array', 'string', 'nested')).map(([target, how]) => {
    const body = target.valid();
    const text = how === 'array' ? JSON.stringify([body]) : how === 'string' ? JSON.stringify(JSON.stringify(body)) : JSON.stringify({ body });
    return toRequest(target, text, `body as ${how}`);
  });
  const huge = fc.tuple(route, fc.integer({ min: 1, max: 64 * 1024 })).map(([target, extra]) => {
    const text = JSON.stringify({ ...target.valid(), description: 'x'.repeat(BODY_LIMIT_BYTES + extra) });
    return toRequest(target, text, 'over BODY_LIMIT_BYTES', [413]);
  });
  return fc.oneof(
    { weight: 40, arbitrary: mutated },
    { weight: 16, arbitrary: refusedByTheDomain(fixture, limits) },
    { weight: 12, arbitrary: refusedInTheLifecycle(fixture, limits) },
    { weight: 8, arbitrary: randomJson },
    { weight: 8, arbitrary: randomText },
    { weight: 5, arbitrary: truncated },
    { weight: 3, arbitrary: reshaped },
    { weight: 1, arbitrary: huge },
  );
}
