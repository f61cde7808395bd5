import { isIso4217Currency, parseMinor } from '@wallet/domain';
import { z } from 'zod';

const METADATA_BYTES_MAX = 4096;

/** Money on the wire: a decimal string of minor units, > 0 and < 2^63, no sign or leading zero. */
export const amountSchema = z
  .string()
  .regex(/^[1-9][0-9]*$/, 'must be a string of decimal digits without sign, decimal point or leading zeros, greater than 0')
  .refine((text) => parseMinor(text) !== undefined, 'must be less than 2^63')
  .describe('Integer minor units of the wallet currency, as a string ("1050" = 10.50 USD)')
  .meta({ example: '1050' });

export const slugSchema = z.string().regex(/^[a-z0-9_-]{1,64}$/, 'must match [a-z0-9_-]{1,64}');

export const currencySchema = z
  .string()
  .refine(isIso4217Currency, 'must be an ISO 4217 alphabetic currency code such as "USD"')
  .meta({ example: 'USD' });

/** NUL and unpaired UTF-16 surrogates cannot be stored in PostgreSQL text or jsonb. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const isStorableText = (text: string): boolean => !UNSTORABLE.test(text);

const storableString = () => z.string().refine(isStorableText, 'must not contain NUL characters or unpaired surrogates');

export const textSchema = (max: number) => storableString().min(1).max(max);

/** A flat JSON object of at most 4 KiB: values are strings, numbers, booleans or null. */
export const metadataSchema = z
  .record(textSchema(64), z.union([storableString(), z.number(), z.boolean(), z.null()]))
  .refine((value) => Buffer.byteLength(JSON.stringify(value)) <= METADATA_BYTES_MAX, `must be at most ${METADATA_BYTES_MAX} bytes as JSON`)
  .describe('Flat JSON object (string, number, boolean or null values), at most 4 KiB');

export const ownerSchema = z.strictObject({
  ownerType: slugSchema,
  ownerRef: textSchema(255),
});
