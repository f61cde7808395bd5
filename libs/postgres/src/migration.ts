/**
 * One schema change, owned by the library whose tables it touches. Its name starts with its
 * number in the service's one recorded order (`0007-group-commit`); that name is what the
 * runner records, so neither the name nor the SQL of an applied migration ever changes.
 */
export interface Migration {
  readonly name: string;
  readonly up: string;
}

const NAME = /^(\d{4})-[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The number a migration's name starts with; throws on a name without one. */
function migrationNumber(name: string): number {
  const match = NAME.exec(name);
  if (!match) throw new Error(`Migration name "${name}" does not read NNNN-kebab-case-words.`);
  return Number(match[1]);
}

/**
 * Throws unless the numbers rise strictly from one migration to the next: the runner applies
 * a list in its order, so two with one number, or one out of place, would run in an order no
 * other database ran them in.
 */
export function assertStrictlyOrdered(migrations: readonly Migration[]): void {
  migrations.reduce((previous, migration) => {
    const number = migrationNumber(migration.name);
    if (previous && number === migrationNumber(previous.name)) {
      throw new Error(`Migrations ${previous.name} and ${migration.name} share the number ${number}.`);
    }
    if (previous && number < migrationNumber(previous.name)) {
      throw new Error(`Migration ${migration.name} comes after ${previous.name}: out of order.`);
    }
    return migration;
  }, undefined as Migration | undefined);
}

/**
 * Merges owners' migration lists into the order they run in, by number. Throws on a
 * malformed name or a number taken twice (e.g. two branches that each added the next one).
 */
export function mergeMigrations(...lists: ReadonlyArray<readonly Migration[]>): readonly Migration[] {
  const merged = lists.flat().sort((a, b) => migrationNumber(a.name) - migrationNumber(b.name));
  assertStrictlyOrdered(merged);
  return merged;
}

/**
 * The service's whole recorded order: every owner's list merged, numbered 1, 2, 3... with no
 * number missing. A gap means an owner's list was left out or a migration lost in a merge;
 * better to stop at start-up than to migrate a database without it.
 */
export function migrationSequence(...lists: ReadonlyArray<readonly Migration[]>): readonly Migration[] {
  const merged = mergeMigrations(...lists);
  merged.forEach((migration, index) => {
    if (migrationNumber(migration.name) !== index + 1) {
      throw new Error(`No migration numbered ${String(index + 1).padStart(4, '0')}: the next one is ${migration.name}.`);
    }
  });
  return merged;
}
