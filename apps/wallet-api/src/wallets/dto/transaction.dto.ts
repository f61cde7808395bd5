import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { amountSchema, metadataSchema, textSchema } from '../../http/request-fields.schema';

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
