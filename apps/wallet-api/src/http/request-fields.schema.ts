import { isIso4217Currency, parseMinor } from '@wallet/domain';
import { storableString, textSchema } from '@wallet/access';
import { z } from 'zod';

export { isStorableText, ownerSchema, slugSchema, textSchema } from '@wallet/access';

const METADATA_BYTES_MAX = 4096;

/** Money on the wire: a decimal string of minor units, > 0 and < 2^63, no sign or leading zero. */
export const amountSchema = z
  .string()
  .regex(/^[1-9][0-9]*$/, 'must be a string of decimal digits without sign, decimal point or leading zeros, greater than 0')
  .refine((text) => parseMinor(text) !== undefined, 'must be less than 2^63')
  .describe('Integer minor units of the wallet currency, as a string ("1050" = 10.50 USD)')
  .meta({ example: '1050' });

export const currencySchema = z
  .string()
  .refine(isIso4217Currency, 'must be an ISO 4217 alphabetic currency code such as "USD"')
  .meta({ example: 'USD' });

/** A flat JSON object of at most 4 KiB: values are strings, numbers, booleans or null. */
export const metadataSchema = z
  .record(textSchema(64), z.union([storableString(), z.number(), z.boolean(), z.null()]))
  .refine((value) => Buffer.byteLength(JSON.stringify(value)) <= METADATA_BYTES_MAX, `must be at most ${METADATA_BYTES_MAX} bytes as JSON`)
  .describe('Flat JSON object (string, number, boolean or null values), at most 4 KiB');
