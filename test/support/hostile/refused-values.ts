import fc from 'fast-check';
import { isIso4217Currency } from '@wallet/domain';

/**
 * fast-check arbitraries of values a request field must refuse, by what the field holds.
 * Each one is refused whatever the rest of the request says, so a fuzz test can require a
 * 4xx and no change of state for every request built with them.
 */

export const MAX_MINOR = 2n ** 63n - 1n;

/** Printable ASCII, the alphabet of most identifiers. */
export const asciiText = (minLength: number, maxLength: number) => fc.string({ unit: 'grapheme-ascii', minLength, maxLength });

/** Any code points, control characters and astral planes included (but well-formed UTF-16). */
export const anyText = (maxLength: number) => fc.string({ unit: 'binary', maxLength });

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

/** `text` with `insert` put somewhere inside it. */
const spliced = (text: fc.Arbitrary<string>, insert: fc.Arbitrary<string>) =>
  fc.tuple(text, insert, fc.nat()).map(([base, extra, at]) => {
    const index = base.length === 0 ? 0 : at % (base.length + 1);
    return base.slice(0, index) + extra + base.slice(index);
  });

/** Strings PostgreSQL text and jsonb cannot hold: a NUL or an unpaired surrogate somewhere. */
export const unstorableText = fc.oneof(spliced(asciiText(0, 12), fc.constant('\u0000')), spliced(asciiText(0, 12), loneSurrogate));

/** Nested arrays or objects far deeper than any request needs. */
export const deeplyNested = fc.tuple(fc.integer({ min: 33, max: 2_000 }), fc.boolean()).map(([depth, arrays]) => {
  let value: unknown = 'x';
  for (let level = 0; level < depth; level += 1) value = arrays ? [value] : { a: value };
  return value;
});

const smallJson = fc.jsonValue({ maxDepth: 2 });

/** Values of every JSON type but string. */
export const notAString: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(smallJson, { maxLength: 3 }),
  fc.dictionary(asciiText(0, 8), smallJson, { maxKeys: 3 }),
  deeplyNested,
);

export const notABoolean: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('true', 'false', '', 0, 1, null, [], {}, [true]),
  fc.integer(),
  asciiText(0, 10),
  deeplyNested,
);

/** Values of every JSON type but (plain) object. */
export const notAnObject: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, '', '{}', []),
  fc.integer(),
  asciiText(0, 20),
  fc.array(smallJson, { minLength: 1, maxLength: 3 }),
);

export const notAnArray: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, 0, '', '[]', {}),
  fc.integer(),
  asciiText(0, 20),
  fc.dictionary(asciiText(1, 8), smallJson, { maxKeys: 3 }),
);

const AMOUNT = /^[1-9][0-9]*$/;

/** Amount texts the contract refuses: signs, decimals, leading zeros, 2^63 and beyond, non-digits. */
export const badAmountText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('0', '00', '-0', '-1', '01', '1.5', '1.0', '1e3', ' 1', '1 ', '+1', '0x10', '١٠', '１０', '1_000', '10n', 'NaN', 'Infinity', '', '9223372036854775808', '18446744073709551616'),
  fc.bigInt({ min: MAX_MINOR + 1n, max: 10n ** 40n }).map(String),
  fc.integer({ min: 20, max: 400 }).map((digits) => '9'.repeat(digits)),
  fc.bigInt({ min: 1n, max: MAX_MINOR }).map((amount) => `0${amount}`),
  fc.bigInt({ min: 1n, max: MAX_MINOR }).map((amount) => `-${amount}`),
  fc.tuple(fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.integer({ min: 1, max: 99 })).map(([units, cents]) => `${units}.${cents}`),
  anyText(12).filter((text) => !AMOUNT.test(text)),
);

/** Amounts as JSON numbers (never allowed, whatever their value), or not even numbers. */
export const badAmount: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: badAmountText },
  { weight: 1, arbitrary: fc.oneof(fc.integer({ min: 1 }), fc.constantFrom(10, 1.5, -1, 0, 1e21, 2 ** 63)) },
  { weight: 1, arbitrary: notAString },
);

/** Texts a `textSchema(max)` field refuses: empty, too long, or unstorable. */
export const badText = (max: number): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constant(''),
    fc.integer({ min: max + 1, max: max + 2_000 }).map((length) => 'x'.repeat(length)),
    unstorableText,
    notAString,
  );

const SLUG = /^[a-z0-9_-]{1,64}$/;

/** What `[a-z0-9_-]{1,64}` refuses. */
export const badSlug: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('', 'Main', 'a b', 'a.b', 'a/b', 'ü', 'x'.repeat(65)),
  anyText(70).filter((text) => !SLUG.test(text)),
  notAString,
);

/** What is not an ISO 4217 alphabetic code. */
export const badCurrency: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('usd', 'Usd', 'US', 'USDD', ' USD', 'USD ', '840', '', 'XYZ', 'US\u0000'),
  fc.stringMatching(/^[A-Z]{3}$/).filter((code) => !isIso4217Currency(code)),
  anyText(6).filter((code) => !isIso4217Currency(code)),
  fc.constantFrom(840, 978, null),
  notAString,
);

/** Not one of `values`, case and spacing variants included. */
export const badEnum = (values: readonly string[]): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constantFrom(...values.flatMap((value) => [value.toUpperCase(), ` ${value}`, `${value} `, `${value}\u0000`, `${value}s`])),
    anyText(12).filter((text) => !values.includes(text)),
    notAString,
  );

/** Not a UUID at all: refused by validation, before any lookup. */
export const notAUuid: fc.Arbitrary<unknown> = fc.oneof(
  fc.uuid().map((id) => id.replace(/-/g, '')),
  fc.uuid().map((id) => id.slice(0, 35)),
  fc.uuid().map((id) => `${id}0`),
  fc.uuid().map((id) => `{${id}}`),
  fc.uuid().map((id) => `${id.slice(0, 8)}g${id.slice(9)}`),
  fc.constantFrom('', 'null', '00000000-0000-0000-0000-00000000000', '../etc/passwd'),
  anyText(40),
  notAString,
);

/** Timestamps no request may carry: not ISO 8601 with a zone, not a real date, or in the past. */
export const badTimestamp: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('tomorrow', '2030-02-30T00:00:00Z', '2030-13-01T00:00:00Z', '2030-01-01T25:00:00Z', '2030-01-01', '2030-01-01T00:00:00', '', 'now'),
  fc.date({ min: new Date('1970-01-01'), max: new Date('2020-01-01') }).map((date) => date.toISOString()),
  fc.integer({ min: 0 }),
  notAString,
);

/** Timestamps that are not even well-formed (the past is allowed where a past moment is legal). */
export const malformedTimestamp: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('tomorrow', '2030-02-30T00:00:00Z', '2030-13-01T00:00:00Z', '2030-01-01', '2030-01-01T00:00:00', '', 'now'),
  fc.integer({ min: 0 }),
  notAString,
);

/**
 * An object with `key` as an own enumerable property, `__proto__` included, so that
 * JSON.stringify writes it into the body.
 */
export function withOwnKey(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...target };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** Keys that poison or probe prototypes, and keys PostgreSQL jsonb cannot store. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', '__defineGetter__', 'hasOwnProperty', '$where', '', ' ', 'toString'),
  unstorableText,
  anyText(20),
);

/** Metadata the flat, storable, 4 KiB object rule refuses. */
export const badMetadata: fc.Arbitrary<unknown> = fc.oneof(
  notAnObject,
  fc.constantFrom({ '': 'empty key' }, { ['k'.repeat(65)]: 'long key' }, { nested: { a: 1 } }, { list: ['a'] }, { deep: [[[]]] }),
  fc.integer({ min: 4_100, max: 20_000 }).map((length) => ({ blob: 'x'.repeat(length) })),
  unstorableText.map((text) => ({ note: text })),
  unstorableText.map((text) => ({ [text.length > 0 ? text : '\u0000']: 'value' })),
  fc.constant(withOwnKey({ note: 'x' }, '__proto__', { polluted: true })),
  deeplyNested.map((value) => ({ deep: value })),
);

/** Scope lists a new key may not have. */
export const badScopes: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom([], ['root'], ['wallets:read', 'wallets:read'], ['Admin'], ['wallets:*'], ['wallets:read', 'wallets:write', 'events:read', 'admin', 'admin'], [''], [null], ['admin']),
  fc.array(anyText(12).filter((scope) => !['wallets:read', 'wallets:write', 'events:read', 'admin'].includes(scope)), { minLength: 1, maxLength: 3 }),
  notAnArray,
);

const KEY_NAME = /^[\x20-\x7e]{1,100}$/;

export const badKeyName: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('', 'n'.repeat(101), 'clé', 'tab\there', 'nul\u0000'),
  anyText(110).filter((name) => !KEY_NAME.test(name)),
  notAString,
);

export const badRateLimit: fc.Arbitrary<unknown> = fc.oneof(fc.constantFrom(0, -1, 1.5, '10', 1_000_001, 1e21, null, true), fc.integer({ max: 0 }), fc.integer({ min: 1_000_001 }));

const REFERENCE = /^[\x20-\x7e]{1,255}$/;

/** What a reference refuses: empty, past 255 characters, anything but printable ASCII, or not a string. */
export const badReference: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('', 'r'.repeat(256), 'clé', 'tab\there', 'line\nbreak', 'nul\u0000', '\u007f'),
  anyText(300).filter((text) => !REFERENCE.test(text)),
  notAString,
);

/** References the API takes: 1 to 255 printable ASCII characters. */
export const validReference = fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 255 }).filter((text) => REFERENCE.test(text));

/** What an overdraft limit refuses: everything an amount refuses but "0", and "unlimited" spelt otherwise. */
export const badOverdraftLimit: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('Unlimited', 'UNLIMITED', ' unlimited', 'unlimited ', 'infinite', 'none', '-0', '-1', '00'),
  badAmountText.filter((text) => text !== '0'),
  fc.constantFrom(0, 100, -1, null, true),
  notAString,
);

/** Log positions refused: what an amount refuses but "0" (the start of the log), JSON numbers, other types. */
export const badPosition: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: badAmountText.filter((text) => text !== '0') },
  { weight: 1, arbitrary: fc.constantFrom(0, 5, -1, 1.5, 1e21, 2 ** 63) },
  { weight: 1, arbitrary: notAString },
);

/** As the URL parser reads a text: tabs and line breaks dropped anywhere, leading controls and spaces trimmed. */
const asParsed = (text: string) => text.replace(/[\t\n\r]/g, '').replace(/^[\x00-\x20]+/, '');

/**
 * Webhook URLs refused even where private addresses are allowed: empty, too long, unstorable,
 * not parsed, not http(s), with credentials, or not a string.
 */
export const badWebhookUrl: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('', 'ftp://127.0.0.1/hooks', 'file:///etc/passwd', 'javascript:alert(1)', 'ws://127.0.0.1/', '//127.0.0.1/hooks', '127.0.0.1:9', 'http://', 'https://[::1', 'http://user:pw@127.0.0.1/', 'https://:pw@example.com/'),
  fc.integer({ min: 2_049 - 'http://127.0.0.1/'.length, max: 6_000 }).map((length) => `http://127.0.0.1/${'a'.repeat(length)}`),
  unstorableText.map((text) => `http://127.0.0.1:9/${text}`),
  anyText(60).filter((text) => !/^https?:/i.test(asParsed(text))),
  notAString,
);

/** Event type lists a webhook endpoint refuses: empty, over 20, unknown or repeated types, not a list of strings. */
export const badEventTypes = (known: ReadonlySet<string>): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constantFrom([], ['FundsCredited', 'FundsCredited'], ['fundscredited'], [' FundsCredited'], ['FundsCredited', null], [1], [['FundsCredited']], ['*']),
    fc.constant(Array.from({ length: 21 }, () => [...known][0]!)),
    fc.array(anyText(20).filter((type) => !known.has(type)), { minLength: 1, maxLength: 3 }).map((unknown) => ['FundsCredited', ...unknown]),
    notAnArray,
  );
