import { parseMinor } from '@wallet/domain';
import { z } from 'zod';
import { cursorSchema } from './cursor';

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
