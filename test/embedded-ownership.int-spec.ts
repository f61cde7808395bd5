import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './faults/support/service-process';

const root = join(__dirname, '..');

interface Api {
  readonly child: ChildProcess;
  readonly baseUrl: string;
  readonly exited: Promise<number | null>;
  output(): string;
}

/** Starts the API from source, as `npm start` starts its build, on the embedded PostgreSQL under `dataDir`. */
async function startApi(dataDir: string, pgPort: number): Promise<Api> {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const port = await freePort();
  // The loader of the fault suite: it compiles with the decorator metadata Nest needs.
  const child = spawn(process.execPath, ['-r', join(root, 'scripts/support/register-typescript.cjs'), 'apps/wallet-api/src/main.ts'], {
    cwd: root,
    env: { ...inherited, DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, baseUrl: `http://127.0.0.1:${port}`, exited, output: () => output };
}

/** Waits until the API answers /health/live, or exits (then says how). */
async function live(api: Api, timeoutMs = 90_000): Promise<'live' | 'exited'> {
  let done = false;
  void api.exited.then(() => (done = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (done) return 'exited';
    if (await fetch(`${api.baseUrl}/health/live`).then((response) => response.ok, () => false)) return 'live';
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the API neither answered nor exited within ${timeoutMs} ms:\n${api.output()}`);
}

/** Runs a CLI command from source on the embedded PostgreSQL under `dataDir`. */
function runCli(args: string[], dataDir: string, pgPort: number): Promise<{ code: number | null; stderr: string }> {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/cli/src/main.ts', ...args], {
    cwd: root,
    env: { ...inherited, DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout!.resume();
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

const postmasterPid = (dataDir: string): number | undefined => {
  const file = join(dataDir, 'postgres', 'postmaster.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : undefined;
};

describe('the embedded PostgreSQL of one data folder has one owner', () => {
  let parent: string;
  let dataDir: string;
  const started: Api[] = [];

  beforeAll(() => {
    parent = mkdtempSync(join(tmpdir(), 'wallet-owner-'));
    // As root the server runs as the postgres user, which must reach the data folder.
    chmodSync(parent, 0o755);
    dataDir = join(parent, 'data');
  });
  afterAll(async () => {
    for (const api of started) api.child.kill('SIGKILL');
    const pid = postmasterPid(dataDir);
    if (pid !== undefined) {
      try {
        process.kill(pid, 'SIGINT');
      } catch {
        // Already gone.
      }
      for (let i = 0; i < 100 && postmasterPid(dataDir) !== undefined; i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    rmSync(parent, { recursive: true, force: true });
  });

  it('refuses a second npm start while one runs, leaves an orphan to the CLI untouched, and stops a server it adopted after a SIGKILL', async () => {
    const pgPort = await freePort();
    const first = await startApi(dataDir, pgPort);
    started.push(first);
    expect(await live(first)).toBe('live');

    // A second start on the same folder: one line saying who holds it and what to do.
    const second = await startApi(dataDir, pgPort);
    started.push(second);
    expect(await live(second)).toBe('exited');
    expect(await second.exited).toBe(1);
    const lines = second.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!).msg).toMatch(new RegExp(`in use by another wallet-api \\(pid ${first.child.pid}\\): stop that process first`));

    // SIGKILL leaves the server running (it has a session of its own) ...
    first.child.kill('SIGKILL');
    await first.exited;
    const orphan = postmasterPid(dataDir);
    expect(orphan).toBeDefined();

    // ... a CLI command uses it but neither adopts it nor stops it on exit ...
    const verify = await runCli(['verify'], dataDir, pgPort);
    expect(verify.stderr).not.toContain('adopting');
    expect(verify.code).toBe(0);
    expect(postmasterPid(dataDir)).toBe(orphan);
    expect(JSON.parse(readFileSync(join(dataDir, 'postgres.owner'), 'utf8')).pid).toBe(first.child.pid);

    // ... the next start adopts it, and stops it when it stops.
    const third = await startApi(dataDir, pgPort);
    started.push(third);
    expect(await live(third)).toBe('live');
    expect(third.output()).toContain('adopting it');
    expect(postmasterPid(dataDir)).toBe(orphan);
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
    expect(postmasterPid(dataDir)).toBeUndefined();
    expect(existsSync(join(dataDir, 'postgres.owner'))).toBe(false);
  }, 240_000);
});
