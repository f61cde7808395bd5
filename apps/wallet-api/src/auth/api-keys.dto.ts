import { newApiKeySchema, slugSchema, textSchema } from '@wallet/access';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { pageParams } from '../http/query-params.schema';

export class NewApiKeyDto extends createZodDto(newApiKeySchema) {}

const { limit, cursor } = pageParams(z.strictObject({ id: z.uuid() }));

export const listApiKeysSchema = z
  .strictObject({ ownerType: slugSchema.optional(), ownerRef: textSchema(255).optional(), limit, cursor })
  .refine((query) => (query.ownerType === undefined) === (query.ownerRef === undefined), {
    message: 'ownerType and ownerRef go together',
    path: ['ownerRef'],
  });

export class ListApiKeysQueryDto extends createZodDto(listApiKeysSchema) {}
