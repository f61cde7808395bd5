import type { Pool } from 'pg';

/** What a database's migrations made, one sorted list of names per kind, qualified by schema. */
export interface SchemaCatalog {
  readonly schemas: readonly string[];
  readonly tables: readonly string[];
  /** `schema.table.column type`, so a changed column type shows. */
  readonly columns: readonly string[];
  readonly indexes: readonly string[];
  readonly constraints: readonly string[];
  /** `schema.name(arguments) md5-of-definition`, so a replaced body shows. */
  readonly functions: readonly string[];
  readonly sequences: readonly string[];
}

const OURS = `not in ('pg_catalog', 'information_schema', 'pg_toast')`;

/**
 * Every object outside PostgreSQL's own schemas, in a canonical order: two databases with the
 * same schema give equal catalogs, whatever order their objects were made in.
 */
export async function schemaCatalog(pool: Pool): Promise<SchemaCatalog> {
  const names = async (sql: string): Promise<string[]> => (await pool.query<{ name: string }>(sql)).rows.map((row) => row.name);
  const [schemas, tables, columns, indexes, constraints, functions, sequences] = await Promise.all([
    names(`select nspname as name from pg_namespace where nspname ${OURS} and nspname not like 'pg\\_%' order by 1`),
    names(`select schemaname || '.' || tablename as name from pg_tables where schemaname ${OURS} order by 1`),
    names(
      `select table_schema || '.' || table_name || '.' || column_name || ' ' || data_type || coalesce(' = ' || column_default, '') || coalesce(' = ' || generation_expression, '') as name
         from information_schema.columns where table_schema ${OURS} order by 1`,
    ),
    names(`select schemaname || ' ' || indexdef as name from pg_indexes where schemaname ${OURS} order by 1`),
    names(
      `select n.nspname || '.' || c.conname || ' ' || pg_get_constraintdef(c.oid) as name
         from pg_constraint c join pg_namespace n on n.oid = c.connamespace where n.nspname ${OURS} order by 1`,
    ),
    names(
      `select n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') ' || md5(coalesce(p.prosrc, '') || coalesce(array_to_string(p.proconfig, ','), '')) as name
         from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname ${OURS} order by 1`,
    ),
    names(`select schemaname || '.' || sequencename as name from pg_sequences where schemaname ${OURS} order by 1`),
  ]);
  return { schemas, tables, columns, indexes, constraints, functions, sequences };
}
