const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Whether `name` is a plain lower-case SQL identifier, safe to splice into SQL. */
export const isIdentifier = (name: string): boolean => IDENTIFIER.test(name);

/** A read-model schema name, checked once so it can be spliced into SQL. */
export function schemaName(name: string): string {
  if (!isIdentifier(name)) throw new Error(`Not a valid schema name: ${name}`);
  return name;
}
