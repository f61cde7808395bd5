import { z } from 'zod';

/**
 * The response schemas of the API, each under the name the OpenAPI document gives it. The
 * presenters' return types are inferred from these, and the document's components are
 * generated from this registry, so what the service sends and what it documents are one.
 */
export const apiSchemas = z.registry<{ id: string; description?: string }>();

/** A signed amount of minor units as a string: balances may be 0 or, with an overdraft, negative. */
export const minorOut = z
  .string()
  .regex(/^-?(0|[1-9][0-9]*)$/)
  .describe('Integer minor units of the wallet currency, as a string ("1050" = 10.50 USD)');

/** An amount a transaction moves: always more than 0. */
export const amountOut = z.string().regex(/^[1-9][0-9]*$/).describe('Integer minor units, more than 0, as a string');

/** A part of a transaction's amount: 0 or more minor units, as a string. */
export const portionOut = z.string().regex(/^(0|[1-9][0-9]*)$/).describe('Integer minor units, 0 or more, as a string');

/** A count as a string: decimal digits without sign or leading zero. */
export const countOut = z.string().regex(/^(0|[1-9][0-9]*)$/);

/** A position of the event log as a string: ordering is by position. */
export const positionOut = countOut.describe('Global position in the event log, as a string');

export const timestampOut = z.iso.datetime();

export const idOut = z.uuid();

export const metadataOut = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
  .describe('Flat JSON object (string, number, boolean or null values)');

/** `{ items, nextCursor }`: nextCursor is null on the last page. */
export function pageSchema<Item extends z.ZodType>(item: Item, id: string) {
  return z
    .strictObject({ items: z.array(item), nextCursor: z.string().nullable().describe('Pass as ?cursor= for the next page; null on the last one') })
    .register(apiSchemas, { id });
}
