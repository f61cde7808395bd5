import { encodeCursor } from './cursor';

/** A page of a list: `nextCursor` is null on the last one. */
export interface PageView<Item> {
  items: Item[];
  nextCursor: string | null;
}

/**
 * Presents rows fetched with `limit + 1`: the extra row only tells that another page
 * follows, whose cursor is the keyset of the last row served.
 */
export function toPage<Row, Item>(rows: readonly Row[], limit: number, present: (row: Row) => Item, keyOf: (row: Row) => Record<string, string>): PageView<Item> {
  const served = rows.slice(0, limit);
  const last = served[served.length - 1];
  return { items: served.map(present), nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}
