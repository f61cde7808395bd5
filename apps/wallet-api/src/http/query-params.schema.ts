import { parseMinor } from '@wallet/domain';
import { z } from 'zod';
import { cursorSchema } from './cursor';
import { storableString, textSchema } from '@wallet/access';
import { referenceSchema } from './request-fields.schema';

const LIMIT_DEFAULT = 50;
const LIMIT_MAX = 500;

/** A position of the event log: decimal digits, below 2^63. */
export const positionSchema = z
  .string()
  .refine((text) => parseMinor(text) !== undefined, 'must be a log position: decimal digits without sign or leading zeros, below 2^63')
  .transform((text) => BigInt(text));

/** An ISO 8601 timestamp with a zone, normalised to UTC with milliseconds. */
export const timestampSchema = z.iso
  .datetime({ offset: true })
  .refine((text) => !Number.isNaN(Date.parse(text)), 'must be a valid date')
  .transform((text) => new Date(text).toISOString());

/** Every query accepts minPosition: answer only once the read model has reached it. */
export const readModelParams = {
  minPosition: positionSchema.optional().describe('Answer only once the read model has reached this position (read-your-writes)'),
};

const LIMIT_RULE = `must be an integer from 1 to ${LIMIT_MAX}`;

/**
 * `?limit=`: decimal digits on the wire, checked as such (no sign, exponent or hex that a
 * number coercion would let through), and described to clients as the integer it is.
 */
export const limitSchema = z
  .string()
  .regex(/^[0-9]{1,3}$/, LIMIT_RULE)
  .transform(Number)
  .pipe(z.number().min(1, LIMIT_RULE).max(LIMIT_MAX, LIMIT_RULE))
  .default(LIMIT_DEFAULT)
  .describe(`Page size, 1 to ${LIMIT_MAX} (default ${LIMIT_DEFAULT})`)
  .meta({ type: 'integer', minimum: 1, maximum: LIMIT_MAX, default: LIMIT_DEFAULT, pattern: undefined });

/** minPosition, limit and a cursor over the given keyset. */
export function pageParams<Key extends z.ZodType>(key: Key) {
  return { ...readModelParams, limit: limitSchema, cursor: cursorSchema(key).optional() };
}

const METADATA_FILTERS_MAX = 5;

/**
 * `metadata[key]=value` (gathered into one object by foldDeepObjects): exact matches on
 * metadata entries, at most 5, all of which must hold. A value matches the JSON string it is
 * and the number, boolean or null it spells (`42` matches "42" and 42). A key given twice
 * arrives as a list and is refused.
 */
export const metadataFilterSchema = z
  .record(textSchema(64), storableString().max(1024))
  .refine((filter) => Object.keys(filter).length >= 1 && Object.keys(filter).length <= METADATA_FILTERS_MAX, `must name 1 to ${METADATA_FILTERS_MAX} metadata keys`)
  .describe(`Exact matches on metadata entries, metadata[key]=value, at most ${METADATA_FILTERS_MAX}, all of which must hold; 42 also matches the number 42, true the boolean`);

/** `?reference=`: the caller's own id of a transaction or group, as the write routes take it. */
export const referenceFilterSchema = referenceSchema.describe("The caller's reference of the transaction or group (exact)");
