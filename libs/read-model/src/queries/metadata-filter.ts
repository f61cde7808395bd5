import type { SqlParams } from './sql-params';

/** Exact matches on metadata entries, every one of which must hold: key -> value as the query string spells it. */
export type MetadataFilter = Readonly<Record<string, string>>;

// JSON's number grammar, with the exponent bounded so PostgreSQL's numeric always holds it.
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]{1,3})?$/;
const JSON_LITERALS = new Set(['true', 'false', 'null']);

/**
 * The JSON values a query-string value stands for: always the string itself, and also the
 * number, boolean or null it spells (`42` matches "42" and 42, `true` matches "true" and true).
 * Each is returned as JSON text, numbers verbatim so that no precision is lost on the way.
 */
export function metadataCandidates(text: string): string[] {
  const candidates = [JSON.stringify(text)];
  if (JSON_LITERALS.has(text) || JSON_NUMBER.test(text)) candidates.push(text);
  return candidates;
}

/**
 * `column` holds every entry of the filter: per key, containment of one of its candidates,
 * OR-ed, so that a GIN (jsonb_path_ops) index on the column serves each one (a BitmapOr per
 * key, a BitmapAnd across keys). Empty when there is no filter.
 */
export function metadataConditions(column: string, filter: MetadataFilter | undefined, params: SqlParams): string[] {
  if (filter === undefined) return [];
  return Object.entries(filter).map(([key, text]) => {
    const alternatives = metadataCandidates(text).map((value) => `${column} @> ${params.add(`{${JSON.stringify(key)}:${value}}`)}::jsonb`);
    return `(${alternatives.join(' or ')})`;
  });
}
