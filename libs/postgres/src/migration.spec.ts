import { type Migration, mergeMigrations, migrationSequence } from './migration';

const migration = (name: string): Migration => ({ name, up: `-- ${name}` });
const names = (migrations: readonly Migration[]): string[] => migrations.map((m) => m.name);

describe('mergeMigrations', () => {
  it('interleaves owners by number', () => {
    const merged = mergeMigrations([migration('0001-a'), migration('0003-c')], [migration('0002-b')], [migration('0004-d')]);
    expect(names(merged)).toEqual(['0001-a', '0002-b', '0003-c', '0004-d']);
  });

  it('keeps a subset in order: one owner with the owners it depends on', () => {
    expect(names(mergeMigrations([migration('0005-e')], [migration('0002-b')]))).toEqual(['0002-b', '0005-e']);
  });

  it('refuses a number two owners both took', () => {
    expect(() => mergeMigrations([migration('0001-a'), migration('0002-b')], [migration('0002-other')])).toThrow(
      'Migrations 0002-b and 0002-other share the number 2.',
    );
  });

  it('refuses a name that does not start with its number', () => {
    expect(() => mergeMigrations([migration('add-table')])).toThrow('Migration name "add-table" does not read NNNN-kebab-case-words.');
    expect(() => mergeMigrations([migration('0001_Add_Table')])).toThrow(/does not read/);
  });
});

describe('migrationSequence', () => {
  it('is the merged list when the numbers run 1, 2, 3...', () => {
    expect(names(migrationSequence([migration('0002-b')], [migration('0001-a'), migration('0003-c')]))).toEqual(['0001-a', '0002-b', '0003-c']);
  });

  it('refuses a gap: an owner left out, or a migration lost in a merge', () => {
    expect(() => migrationSequence([migration('0001-a'), migration('0003-c')])).toThrow('No migration numbered 0002: the next one is 0003-c.');
    expect(() => migrationSequence([migration('0002-b')])).toThrow('No migration numbered 0001: the next one is 0002-b.');
  });

  it('refuses a duplicate too', () => {
    expect(() => migrationSequence([migration('0001-a')], [migration('0001-a')])).toThrow(/share the number 1/);
  });
});
