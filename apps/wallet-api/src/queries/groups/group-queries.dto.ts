import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { pageParams, referenceFilterSchema } from '../../http/query-params.schema';

export const listGroupsSchema = z.strictObject({
  reference: referenceFilterSchema.optional(),
  walletId: z.uuid().optional().describe('Only groups with a leg on this wallet'),
  status: z.enum(['pending', 'completed', 'rejected']).optional(),
  ...pageParams(z.strictObject({ id: z.uuid() })),
});

export class ListGroupsQueryDto extends createZodDto(listGroupsSchema) {}
