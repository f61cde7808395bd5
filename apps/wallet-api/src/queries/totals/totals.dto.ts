import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { positionSchema, readModelParams } from '../../http/query-params.schema';
import { currencySchema } from '../../http/request-fields.schema';

export const totalsQuerySchema = z.strictObject({
  currency: currencySchema.describe('The currency whose wallets are summed'),
  atPosition: positionSchema
    .optional()
    .describe("The totals right after the event at this log position (default: the read model's position); one the read model has not reached yet waits for it, as minPosition does"),
  ...readModelParams,
});

export class TotalsQueryDto extends createZodDto(totalsQuerySchema) {}
