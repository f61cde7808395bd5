import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { currencySchema, metadataSchema, ownerSchema, slugSchema } from '../../http/request-fields.schema';

export const createWalletSchema = z.strictObject({
  type: slugSchema,
  currency: currencySchema,
  owners: z.array(ownerSchema).max(100).optional(),
  metadata: metadataSchema.optional(),
});

export class CreateWalletDto extends createZodDto(createWalletSchema) {}

export class AddOwnerDto extends createZodDto(ownerSchema) {}
