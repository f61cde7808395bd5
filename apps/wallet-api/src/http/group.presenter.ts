import { z } from 'zod';
import { apiSchemas, idOut, metadataOut, positionOut, timestampOut } from './api-schemas';
import { transactionSchema } from './wallet.presenter';

export const groupSchema = z
  .strictObject({
    id: idOut,
    status: z.enum(['pending', 'completed', 'rejected']),
    description: z.string().nullable(),
    metadata: metadataOut,
    reference: z.string().nullable().describe("The caller's own id for the group, unique among all groups; null when none was given"),
    reversalOf: idOut.nullable().describe('The group this one reverses'),
    reversedBy: idOut.nullable().describe('The group that reversed this one'),
    transactions: z.array(transactionSchema).describe('The legs, in the order they were given'),
    createdAt: timestampOut,
    updatedAt: timestampOut,
    expiresAt: timestampOut.nullable(),
  })
  .register(apiSchemas, { id: 'Group' });

export const groupResultSchema = z
  .strictObject({ group: groupSchema, position: positionOut.describe('The position of the last event the command appended') })
  .register(apiSchemas, { id: 'GroupResult' });

export type GroupView = z.infer<typeof groupSchema>;
export type GroupResultView = z.infer<typeof groupResultSchema>;
