import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { currencySchema, metadataSchema, overdraftLimitSchema, ownerSchema, slugSchema } from '../../http/request-fields.schema';

export const createWalletSchema = z.strictObject({
  type: slugSchema,
  currency: currencySchema,
  owners: z.array(ownerSchema).max(100).optional(),
  metadata: metadataSchema.optional(),
  overdraftLimit: overdraftLimitSchema.optional().describe('How far available may drop below 0 ("0" when absent); "unlimited" opens a system wallet'),
});

export class CreateWalletDto extends createZodDto(createWalletSchema) {}

export class AddOwnerDto extends createZodDto(ownerSchema) {}

/** The whole new limit, not a change to it. */
export const setOverdraftLimitSchema = z.strictObject({
  overdraftLimit: overdraftLimitSchema,
});

export class SetOverdraftLimitDto extends createZodDto(setOverdraftLimitSchema) {}
