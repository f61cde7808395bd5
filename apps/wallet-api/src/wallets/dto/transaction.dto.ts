import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { amountSchema, metadataSchema, referenceSchema, textSchema } from '../../http/request-fields.schema';

export const recordTransactionSchema = z
  .strictObject({
    type: z.enum(['credit', 'debit']),
    amount: amountSchema,
    description: textSchema(500).optional(),
    metadata: metadataSchema.optional(),
    reference: referenceSchema.optional(),
    pending: z.boolean().optional(),
    expiresAt: z.iso.datetime({ offset: true }).optional().describe('Pending only: the hold is rejected automatically after it'),
  })
  .refine((body) => body.expiresAt === undefined || body.pending === true, {
    message: 'expiresAt is allowed only with pending: true',
    path: ['expiresAt'],
  });

export class RecordTransactionDto extends createZodDto(recordTransactionSchema) {}

/**
 * A capture: `amount` of what the hold still holds (all of it when absent); `final` (the default)
 * ends the hold and releases the rest. The body is optional: a bare confirm captures everything.
 */
export const confirmTransactionSchema = z.strictObject({
  amount: amountSchema.optional().describe('What to capture; all that is still held when absent'),
  final: z.boolean().optional().describe('true (the default): release the rest and end the hold; false: keep the rest held'),
});

export class ConfirmTransactionDto extends createZodDto(confirmTransactionSchema) {}

export const optionalConfirmTransactionSchema = confirmTransactionSchema.optional();

export type ConfirmTransactionBody = z.infer<typeof optionalConfirmTransactionSchema>;

export const increaseHoldSchema = z.strictObject({
  amount: amountSchema.describe('What to add to the hold'),
});

export class IncreaseHoldDto extends createZodDto(increaseHoldSchema) {}

/**
 * A reversal of a confirmed transaction; every field is optional, and so is the body.
 * `reason` becomes the new reversal's description.
 */
export const reverseTransactionSchema = z.strictObject({
  amount: amountSchema.optional().describe('What to give back; all that is left to reverse when absent'),
  reason: textSchema(500).optional().describe("Why: the reversal's description"),
  metadata: metadataSchema.optional(),
  reference: referenceSchema.optional().describe("The reversal's own reference: unique in the wallet"),
});

export class ReverseTransactionDto extends createZodDto(reverseTransactionSchema) {}

export const optionalReverseTransactionSchema = reverseTransactionSchema.optional();

export type ReverseTransactionBody = z.infer<typeof optionalReverseTransactionSchema>;
