import { parseMinor } from '@wallet/domain';
import { storableString, textSchema } from '@wallet/access';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { cursorSchema } from '../http/cursor';
import { limitSchema, positionSchema } from '../http/query-params.schema';
import { KNOWN_TYPES } from '../feed/feed.dto';

/** As long as a URL may be; the URL policy checks the rest (scheme, credentials, addresses). */
export const URL_LENGTH_MAX = 2048;
/** As many types as the feed's `types=` takes. */
const TYPES_MAX = 20;

const typesSchema = z
  .array(z.string())
  .min(1)
  .max(TYPES_MAX)
  .refine((types) => types.every((type) => KNOWN_TYPES.has(type)), { message: `must list event types among: ${[...KNOWN_TYPES].join(', ')}` })
  .refine((types) => new Set(types).size === types.length, 'must not repeat a type')
  .describe(`Only these event types (1 to ${TYPES_MAX}); absent: every type`);

const afterSchema = positionSchema.describe('A log position (decimal digits, as a string)');

export const newWebhookEndpointSchema = z.strictObject({
  // Storable as given: the URL parser would take a NUL or a lone surrogate, PostgreSQL text would not.
  url: storableString().min(1).max(URL_LENGTH_MAX).describe('Where batches are POSTed: https (http and private addresses only where the operator allows them)'),
  types: typesSchema.optional(),
  walletId: z.uuid().transform((id) => id.toLowerCase()).optional().describe("Only this wallet's events"),
  description: textSchema(500).optional(),
  after: afterSchema
    .optional()
    .describe("Deliver the events after this position; default: the log's head at creation. A position beyond the head is kept: delivery starts once the log passes it"),
});

export class NewWebhookEndpointDto extends createZodDto(newWebhookEndpointSchema) {}

export const replayWebhookEndpointSchema = z.strictObject({
  after: afterSchema.describe('Deliver again from the event after this position (back to repeat, forward to skip)'),
});

export class ReplayWebhookEndpointDto extends createZodDto(replayWebhookEndpointSchema) {}

export const listWebhookEndpointsSchema = z.strictObject({ limit: limitSchema, cursor: cursorSchema(z.strictObject({ id: z.uuid() })).optional() });

export class ListWebhookEndpointsQueryDto extends createZodDto(listWebhookEndpointsSchema) {}

export const listWebhookDeliveriesSchema = z.strictObject({
  limit: limitSchema,
  cursor: cursorSchema(z.strictObject({ id: z.string().regex(/^[1-9][0-9]{0,18}$/).refine((id) => parseMinor(id) !== undefined) })).optional(),
});

export class ListWebhookDeliveriesQueryDto extends createZodDto(listWebhookDeliveriesSchema) {}
