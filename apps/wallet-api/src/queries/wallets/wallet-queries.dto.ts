import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { slugSchema, textSchema } from '../../http/request-fields.schema';
import { metadataFilterSchema, pageParams } from '../../http/query-params.schema';

export const listWalletsSchema = z
  .strictObject({
    ownerType: slugSchema.optional(),
    ownerRef: textSchema(255).optional(),
    type: slugSchema.optional().describe('Wallet type'),
    metadata: metadataFilterSchema.optional(),
    ...pageParams(z.strictObject({ id: z.uuid() })),
  })
  .refine((query) => (query.ownerType === undefined) === (query.ownerRef === undefined), {
    message: 'ownerType and ownerRef go together',
    path: ['ownerRef'],
  });

export class ListWalletsQueryDto extends createZodDto(listWalletsSchema) {}
