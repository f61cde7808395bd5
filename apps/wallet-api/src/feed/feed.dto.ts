import { GROUP_EVENT_TYPES, GROUP_REFERENCE_EVENT_TYPES, WALLET_EVENT_TYPES } from '@wallet/domain';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { limitSchema, positionSchema } from '../http/query-params.schema';

/** The event types a feed or a webhook endpoint may be filtered on. */
export const KNOWN_TYPES: ReadonlySet<string> = new Set<string>([...WALLET_EVENT_TYPES, ...GROUP_EVENT_TYPES, ...GROUP_REFERENCE_EVENT_TYPES]);

const typesSchema = z
  .string()
  .transform((text) => text.split(',').map((type) => type.trim()))
  .refine((types) => types.length <= 20 && types.every((type) => KNOWN_TYPES.has(type)), {
    message: `must be a comma-separated list of event types: ${[...KNOWN_TYPES].join(', ')}`,
  })
  .describe('Only these event types, comma-separated');

const filterParams = {
  after: positionSchema.optional().describe('Events after this position (exclusive); absent or 0 reads from the start'),
  walletId: z.uuid().transform((id) => id.toLowerCase()).optional().describe("Only this wallet's events"),
  types: typesSchema.optional(),
};

export const eventsPageSchema = z.strictObject({
  ...filterParams,
  limit: limitSchema,
});

export class EventsPageDto extends createZodDto(eventsPageSchema) {}

export const eventStreamSchema = z.strictObject(filterParams);

export class EventStreamDto extends createZodDto(eventStreamSchema) {}
