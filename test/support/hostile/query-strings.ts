import fc from 'fast-check';
import { asciiText } from './refused-values';

const POSITION_KEYS = ['minPosition', 'atPosition', 'after'];
const KNOWN_KEYS = ['limit', 'cursor', 'at', 'types', 'walletId', 'status', 'type', 'from', 'to', 'order', 'ownerType', 'ownerRef', 'reference', 'currency', 'metadata', 'metadata[a]', 'metadata[]', 'metadata[a][b]', 'metadata%5Ba%5D'];
/** Never a position the log has not reached: that is a 503 READ_MODEL_BEHIND by contract, not bad input. */
const positionJunk = fc.oneof(
  fc.constantFrom('-1', '01', '1e9', '1.5', 'abc', '', '0x10', '9223372036854775808', '18446744073709551616', '%00', '%FF', '%201', '%2B1', '1%00', '-0', '[]'),
  asciiText(1, 20).filter((text) => !/^[0-9]+$/.test(text)).map(encodeURIComponent),
);
const valueJunk = fc.oneof(
  fc.constantFrom('-1', '0', '501', '1e9', '1000000000', '1.5', 'abc', '', ',,,', 'not-a-date', '2030-13-45T99:99:99Z', '%00', '%FF', '%C0%80', 'true', 'null', '[]', '{}', 'DESC', 'asc%00'),
  fc.constantFrom('eyJpZCI6IngifQ', 'eyJ9', '!!!', 'x'.repeat(600), Buffer.from('{"id":"00000000-0000-7000-8000-000000000000","extra":1}').toString('base64url')),
  // Cursors of ids a bigint key cannot hold, or no key has: a webhook delivery's.
  fc.constantFrom('{"id":"9999999999999999999"}', '{"id":"0"}', '{"id":"-1"}', '{"id":1}', '{"id":"1e3"}').map((cursor) => Buffer.from(cursor).toString('base64url')),
  asciiText(0, 40).map(encodeURIComponent),
  fc.string({ unit: 'grapheme', maxLength: 20 }).map(encodeURIComponent),
  fc.integer({ min: 1_000, max: 8_000 }).map((length) => 'q'.repeat(length)),
);
const queryParam = fc.oneof(
  fc.tuple(fc.constantFrom(...POSITION_KEYS), positionJunk).map(([key, value]) => `${key}=${value}`),
  fc.tuple(fc.constantFrom(...KNOWN_KEYS), valueJunk).map(([key, value]) => `${key}=${value}`),
  fc.tuple(fc.oneof(asciiText(0, 12).map(encodeURIComponent), fc.constantFrom('limit[]', 'a[b]', '__proto__', 'constructor', '%00', 'limit', 'limit')), valueJunk).map(([key, value]) => `${key}=${value}`),
  fc.constantFrom('&&&', '=', '==', 'limit', '?', '#'),
);

/** One to five junk parameters, known keys and unknown, after a `?`. */
export const junkQuery = fc.array(queryParam, { minLength: 1, maxLength: 5 }).map((params) => `?${params.join('&')}`);
