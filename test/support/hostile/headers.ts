import fc from 'fast-check';
import type { Fixture } from './fixture';
import type { HostileRequest } from './hostile-request';
import { KNOWN_TYPES } from '../../../apps/wallet-api/src/feed/feed.dto';
import { asciiText, badEventTypes, badPosition, badText, withOwnKey } from './refused-values';
import { validWrite, validWrites, writeRoutes } from './write-routes';

/** Headers that change nothing about a request: a junk X-Request-Id, an Idempotency-Key. */
export const harmlessExtras = fc.record(
  {
    'x-request-id': fc.oneof(asciiText(0, 300), fc.constantFrom('', '../../etc', '<script>', 'a'.repeat(129), 'id\u00ff')),
    'idempotency-key': asciiText(1, 255).filter((key) => key.trim() === key && key.length > 0),
  },
  { requiredKeys: [] },
);

const JSON_MEDIA = /^application\/json$/i;

/** Content types that are not JSON (whatever the charset). */
const oddContentType = fc
  .oneof(
    fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/jsonp', 'application/json-patch+json', 'text/json', 'application/octet-stream', '*/*', '', 'garbage', 'application/json, text/plain', ';;;', 'application/ json', 'json', 'application/javascript', 'application/problem+json'),
    asciiText(0, 80),
  )
  .filter((type) => !JSON_MEDIA.test(type.split(';')[0]!.trim()));

/** Idempotency-Key values the contract refuses (1..255 printable ASCII), after the HTTP parser trims them. */
const badIdempotencyKey = fc.oneof(
  fc.constant({ value: '', raw: false }),
  fc.integer({ min: 256, max: 4_000 }).map((length) => ({ value: 'k'.repeat(length), raw: false })),
  fc.constantFrom('a\tb', 'clé', 'ß', 'naïve', '\u00ff\u00fe').map((value) => ({ value, raw: false })),
  fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 30 })
    .filter((text) => /[^\x00-\xff]/.test(text) && !/[\r\n]/.test(text))
    .map((value) => ({ value, raw: true })),
  fc.constantFrom('a\u0001b', 'key\u007f', 'a\u0000b').map((value) => ({ value, raw: true })),
);

/**
 * Valid writes with an odd Content-Type, a UTF-16 body or a malformed Idempotency-Key; a deep
 * body, or an invalid webhook endpoint body, with a well-formed key.
 */
export function headerRequests(fixture: Fixture): fc.Arbitrary<HostileRequest> {
  const writes = validWrites(fixture);
  // Not where no body is valid too: a body the parser set aside would leave a valid request.
  const bodied = writeRoutes(fixture)
    .filter((route) => route.bareIsValid !== true)
    .map(validWrite);
  const contentType = fc.tuple(fc.constantFrom(...bodied), oddContentType).map(
    ([write, type]): HostileRequest => ({ ...write, label: `${write.label}, Content-Type ${JSON.stringify(type)}`, headers: { 'content-type': type }, expect: [400, 415] }),
  );
  // The charset is honoured or refused, never misread: a UTF-16 body is no JSON this parser reads.
  const utf16 = fc.constantFrom(...bodied).map(
    (write): HostileRequest => ({ ...write, label: `${write.label}, a UTF-16 body`, headers: { 'content-type': 'application/json; charset=utf-16le' }, body: Buffer.from(String(write.body), 'utf16le'), expect: [400, 415] }),
  );
  const idempotency = fc.tuple(fc.constantFrom(...writes), badIdempotencyKey).map(
    ([write, key]): HostileRequest => ({ ...write, label: `${write.label}, Idempotency-Key ${JSON.stringify(key.value).slice(0, 40)}`, headers: { 'idempotency-key': key.value }, raw: key.raw, expect: [400] }),
  );
  // With a key, the body is hashed before it is validated: nesting must be refused there too, and
  // the key released (an invalid request does not keep it).
  // At most 20,000 levels of `{"a":`: well under the body limit, so the nesting is what is refused.
  const deepWithKey = fc.tuple(fc.integer({ min: 33, max: 20_000 }), asciiText(1, 40), fc.boolean()).map(
    ([depth, key, arrays]): HostileRequest => ({
      label: `credit with metadata nested ${depth} deep, with an Idempotency-Key`,
      method: 'POST',
      path: `/v1/wallets/${fixture.usdA}/transactions`,
      headers: { 'idempotency-key': `deep-${key.trim()}` },
      body: `{"type":"credit","amount":"1","metadata":{"deep":${(arrays ? '[' : '{"a":').repeat(depth)}1${(arrays ? ']' : '}').repeat(depth)}}}`,
      expect: [400],
    }),
  );
  // Webhook endpoint bodies that fail validation, with a well-formed key: refused, and the key
  // released (only a success or a domain refusal is kept).
  const webhookRoutes = writeRoutes(fixture).filter((route) => route.path.startsWith('/v1/webhook-endpoints'));
  const invalidWithKey = fc
    .tuple(fc.constantFrom(...webhookRoutes), fc.constantFrom<[string, fc.Arbitrary<unknown>]>(['after', badPosition], ['types', badEventTypes(KNOWN_TYPES)], ['description', badText(500)]), asciiText(1, 40))
    .chain(([route, [field, bad], key]) =>
      bad.map((value): HostileRequest => ({
        label: `${route.name} with a bad ${field}, with an Idempotency-Key`,
        method: 'POST',
        path: route.path,
        headers: { 'idempotency-key': `invalid-${key.trim()}` },
        body: JSON.stringify(withOwnKey(route.valid(), field, value)),
        expect: [400],
      })),
    );
  return fc.oneof(
    { weight: 4, arbitrary: contentType },
    { weight: 1, arbitrary: utf16 },
    { weight: 4, arbitrary: idempotency },
    { weight: 1, arbitrary: deepWithKey },
    { weight: 1, arbitrary: invalidWithKey },
  );
}

/**
 * The feed with junk Last-Event-ID (ignored unless it is a position) and X-Request-Id. The
 * stream never ends by itself: `send` stops reading once the status and headers are in.
 */
export function feedRequests(): fc.Arbitrary<HostileRequest> {
  const junk = fc.oneof(asciiText(0, 300), fc.constantFrom('-1', '1e9', '18446744073709551616', '9223372036854775808', '0x10', ' 1', 'NaN', '\u00ff', 'a'.repeat(5_000)));
  return fc.tuple(fc.constantFrom('/v1/events/stream', '/v1/events'), junk, harmlessExtras).map(
    ([path, lastEventId, extras]): HostileRequest => ({
      label: 'feed with junk headers',
      method: 'GET',
      path,
      headers: { 'last-event-id': lastEventId, ...(extras['x-request-id'] !== undefined ? { 'x-request-id': extras['x-request-id'] } : {}) },
      expect: [200, 400],
    }),
  );
}
