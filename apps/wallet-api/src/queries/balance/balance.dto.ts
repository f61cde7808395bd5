import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { positionSchema, readModelParams, timestampSchema } from '../../http/query-params.schema';

export const balanceQuerySchema = z
  .strictObject({
    at: timestampSchema.optional().describe('The balance as of this time: every event of the wallet that occurred at or before it'),
    atPosition: positionSchema.optional().describe('The balance right after the last event of the wallet at or before this log position'),
    ...readModelParams,
  })
  .refine((query) => query.at === undefined || query.atPosition === undefined, { message: 'give at or atPosition, not both', path: ['atPosition'] });

export class BalanceQueryDto extends createZodDto(balanceQuerySchema) {}
