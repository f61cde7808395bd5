import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { pageParams, positionSchema, timestampSchema } from '../../http/query-params.schema';

const orderSchema = z.enum(['asc', 'desc']);

export const listTransactionsSchema = z
  .strictObject({
    status: z.enum(['pending', 'confirmed', 'rejected']).optional(),
    type: z.enum(['credit', 'debit']).optional(),
    from: timestampSchema.optional().describe('createdAt at or after it'),
    to: timestampSchema.optional().describe('createdAt before it'),
    order: orderSchema.default('desc').describe('By the position that recorded each transaction; newest first by default'),
    // The cursor remembers its order, so a page is never continued the other way round.
    ...pageParams(z.strictObject({ position: positionSchema, order: orderSchema })),
  })
  .refine((query) => query.from === undefined || query.to === undefined || query.from < query.to, { message: 'from must be before to', path: ['to'] })
  .refine((query) => query.cursor === undefined || query.cursor.order === query.order, { message: 'is a cursor for the other order', path: ['cursor'] });

export class ListTransactionsQueryDto extends createZodDto(listTransactionsSchema) {}
