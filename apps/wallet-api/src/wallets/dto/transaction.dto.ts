import { createZodDto } from 'nestjs-zod';
import { EXPIRED_REASON } from '@wallet/domain';
import { z } from 'zod';
import { amountSchema, metadataSchema, textSchema } from './common.schema';

export const recordTransactionSchema = z
  .strictObject({
    type: z.enum(['credit', 'debit']),
    amount: amountSchema,
    description: textSchema(500).optional(),
    metadata: metadataSchema.optional(),
    pending: z.boolean().optional(),
    expiresAt: z.iso.datetime({ offset: true }).optional().describe('Pending only: the hold is rejected automatically after it'),
  })
  .refine((body) => body.expiresAt === undefined || body.pending === true, {
    message: 'expiresAt is allowed only with pending: true',
    path: ['expiresAt'],
  });

export class RecordTransactionDto extends createZodDto(recordTransactionSchema) {}

/** "expired" is the reason the service itself gives when a hold expires; a client cannot claim it. */
export const rejectTransactionSchema = z.strictObject({
  reason: textSchema(500)
    .refine((reason) => reason !== EXPIRED_REASON, `"${EXPIRED_REASON}" is reserved for holds the service expires`)
    .optional(),
});

export class RejectTransactionDto extends createZodDto(rejectTransactionSchema) {}

/** The reject body is optional: a bare POST rejects without a reason. */
export const optionalRejectTransactionSchema = rejectTransactionSchema.optional();

export type RejectTransactionBody = z.infer<typeof optionalRejectTransactionSchema>;
