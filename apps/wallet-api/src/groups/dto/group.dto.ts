import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { amountSchema, metadataSchema, referenceSchema, textSchema } from '../../http/request-fields.schema';

const legSchema = z.strictObject({
  walletId: z.uuid(),
  type: z.enum(['credit', 'debit']),
  amount: amountSchema,
  description: textSchema(500).optional(),
});

export const recordGroupSchema = z
  .strictObject({
    description: textSchema(500).optional(),
    pending: z.boolean().optional(),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
    metadata: metadataSchema.optional(),
    reference: referenceSchema.optional().describe('Your own id for the group: unique among all groups (its legs carry none)'),
    transactions: z.array(legSchema).min(2).max(100),
  })
  .refine((body) => body.expiresAt === undefined || body.pending === true, { message: 'expiresAt is allowed only with pending: true', path: ['expiresAt'] });

export class RecordGroupDto extends createZodDto(recordGroupSchema) {}

export const transferSchema = z
  .strictObject({
    fromWalletId: z.uuid(),
    toWalletId: z.uuid(),
    amount: amountSchema,
    description: textSchema(500).optional(),
    pending: z.boolean().optional(),
    reference: referenceSchema.optional().describe("Your own id for the transfer's group: unique among all groups"),
  })
  .refine((body) => body.fromWalletId.toLowerCase() !== body.toWalletId.toLowerCase(), { message: 'must differ from fromWalletId', path: ['toWalletId'] });

export class TransferDto extends createZodDto(transferSchema) {}

/** A group's reversal; the body is optional. `reason` becomes the reversal group's and legs' description. */
export const reverseGroupSchema = z.strictObject({
  reason: textSchema(500).optional().describe("Why: the reversal group's description"),
  reference: referenceSchema.optional().describe("The reversal group's own reference: unique among all groups"),
});

export class ReverseGroupDto extends createZodDto(reverseGroupSchema) {}

export const optionalReverseGroupSchema = reverseGroupSchema.optional();

export type ReverseGroupBody = z.infer<typeof optionalReverseGroupSchema>;
