import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..');

/** Runs the API's entry point from source, as `npm start` runs its build. */
function startApi(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const { DATABASE_URL: _ignored, ...inherited } = process.env;
    execFile(join(root, 'node_modules/.bin/tsx'), ['apps/wallet-api/src/main.ts'], { cwd: root, env: { ...inherited, ...env }, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

const asRoot = userInfo().uid === 0 ? describe : describe.skip;

asRoot('start-up as root with a data directory the postgres user cannot reach', () => {
  let closed: string;
  beforeAll(() => {
    closed = mkdtempSync(join(tmpdir(), 'wallet-closed-'));
    chmodSync(closed, 0o700);
  });
  afterAll(() => rmSync(closed, { recursive: true, force: true }));

  it('stops with one line that says why and what to do, and exit code 1', async () => {
    const { code, stdout, stderr } = await startApi({ DATA_DIR: join(closed, 'data') });
    expect(code).toBe(1);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line.level).toBe(60);
    expect(line.msg).toContain(`cannot enter ${closed} (mode 700)`);
    expect(line.msg).toContain('set DATABASE_URL');
    expect(line.err).toBeUndefined();
    expect(stderr).not.toContain('EACCES');
  });
});
