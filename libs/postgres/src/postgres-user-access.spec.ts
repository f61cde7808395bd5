import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertPostgresUserCanReach } from './postgres-user-access';

describe('assertPostgresUserCanReach', () => {
  let base: string;
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'wallet-access-'));
    chmodSync(base, 0o755);
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('passes when every directory above the path may be entered by others', () => {
    mkdirSync(join(base, 'clone/.data'), { recursive: true });
    expect(() => assertPostgresUserCanReach([join(base, 'clone/.data/postgres/PG_VERSION')], undefined)).not.toThrow();
  });

  it('names the first directory the postgres user cannot enter, and what to do', () => {
    mkdirSync(join(base, 'home/clone'), { recursive: true });
    chmodSync(join(base, 'home'), 0o700);
    const path = join(base, 'home/clone/.data/postgres/PG_VERSION');
    expect(() => assertPostgresUserCanReach([path], undefined)).toThrow(
      `cannot enter ${join(base, 'home')} (mode 700) to reach ${path}. Clone the project under a directory others may enter, run "chmod o+x ${join(base, 'home')}", or set DATABASE_URL`,
    );
  });

  it('lets the postgres user through a closed directory it owns', () => {
    mkdirSync(join(base, 'pg'), { recursive: true });
    chmodSync(join(base, 'pg'), 0o700);
    expect(() => assertPostgresUserCanReach([join(base, 'pg/data')], process.getuid!())).not.toThrow();
  });
});
