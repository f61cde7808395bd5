import { createZodDto } from 'nestjs-zod';
import { EXPIRED_REASON } from '@wallet/domain';
import { z } from 'zod';
import { textSchema } from './request-fields.schema';

/**
 * The body of every reject route, a hold's and a group's alike. "expired" is the reason the service
 * itself gives when a hold expires; a client cannot claim it.
 */
export const rejectTransactionSchema = z.strictObject({
  reason: textSchema(500)
    .refine((reason) => reason !== EXPIRED_REASON, `"${EXPIRED_REASON}" is reserved for holds the service expires`)
    .optional(),
});

export class RejectTransactionDto extends createZodDto(rejectTransactionSchema) {}

/** The reject body is optional: a bare POST rejects without a reason. */
export const optionalRejectTransactionSchema = rejectTransactionSchema.optional();

export type RejectTransactionBody = z.infer<typeof optionalRejectTransactionSchema>;
