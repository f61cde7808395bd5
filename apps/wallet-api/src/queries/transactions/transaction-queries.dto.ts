import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { metadataFilterSchema, pageParams, positionSchema, referenceFilterSchema, timestampSchema } from '../../http/query-params.schema';

const orderSchema = z.enum(['asc', 'desc']);

/** The filters a wallet's history and the search across wallets share. */
const transactionFilters = {
  status: z.enum(['pending', 'confirmed', 'rejected']).optional(),
  type: z.enum(['credit', 'debit']).optional(),
  reference: referenceFilterSchema.optional(),
  metadata: metadataFilterSchema.optional(),
  from: timestampSchema.optional().describe('createdAt at or after it'),
  to: timestampSchema.optional().describe('createdAt before it'),
  order: orderSchema.default('desc').describe('By the position that recorded each transaction; newest first by default'),
};

interface Filtered {
  readonly from?: string;
  readonly to?: string;
  readonly order: 'asc' | 'desc';
  readonly cursor?: { readonly order: 'asc' | 'desc' };
}

/** The rules across fields: a time range that is one, and a cursor of the order asked for. */
function withRangeRules<Schema extends z.ZodType<Filtered>>(schema: Schema) {
  return schema
    .refine((query) => query.from === undefined || query.to === undefined || query.from < query.to, { message: 'from must be before to', path: ['to'] })
    .refine((query) => query.cursor === undefined || query.cursor.order === query.order, { message: 'is a cursor for the other order', path: ['cursor'] });
}

// The cursor remembers its order, so a page is never continued the other way round.
const transactionPageParams = pageParams(z.strictObject({ position: positionSchema, order: orderSchema }));

export const listTransactionsSchema = withRangeRules(z.strictObject({ ...transactionFilters, ...transactionPageParams }));

export class ListTransactionsQueryDto extends createZodDto(listTransactionsSchema) {}

export const searchTransactionsSchema = withRangeRules(
  z.strictObject({ walletId: z.uuid().optional().describe("Only this wallet's transactions"), ...transactionFilters, ...transactionPageParams }),
);

export class SearchTransactionsQueryDto extends createZodDto(searchTransactionsSchema) {}
