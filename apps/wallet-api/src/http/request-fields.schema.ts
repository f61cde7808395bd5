import { type OverdraftLimit, isIso4217Currency, parseMinor } from '@wallet/domain';
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

/**
 * How far a wallet's `available` may drop below 0: minor units as a decimal string ("0" allowed),
 * or "unlimited" for a system wallet that has no floor.
 */
export const overdraftLimitSchema = z
  .string()
  .refine((text) => text === 'unlimited' || parseMinor(text) !== undefined, 'must be "unlimited" or a string of decimal digits without sign or leading zeros, less than 2^63')
  .describe('Integer minor units as a string ("0" = no overdraft), or "unlimited" for a system wallet')
  .meta({ example: '5000' });

/** The wire overdraft limit as the domain holds it. */
export function toOverdraftLimit(text: string): OverdraftLimit {
  return text === 'unlimited' ? text : BigInt(text);
}

/** The caller's own id for a transaction or group: 1 to 255 printable ASCII characters. */
export const referenceSchema = z
  .string()
  .regex(/^[\x20-\x7E]{1,255}$/, 'must be 1 to 255 printable ASCII characters')
  .describe('Your own id for it (1 to 255 printable ASCII characters): unique in the wallet, or among all groups for a group')
  .meta({ example: 'order-1042' });
