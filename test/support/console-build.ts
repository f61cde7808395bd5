import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const consoleRoot = join(root, 'apps', 'console');
const BUILD_TIMEOUT_MS = 120_000;

/** Every file the console's build reads from the repository, in a stable order. */
function sources(): string[] {
  const files = readdirSync(join(consoleRoot, 'src'), { recursive: true, encoding: 'utf8' }).map((file) => join('src', file));
  return ['index.html', 'vite.config.mts', 'tsconfig.json', ...files].filter((file) => statSync(join(consoleRoot, file)).isFile()).sort();
}

/**
 * The console built from the sources and the locked dependencies as they are now, in a folder named by their hash: a
 * build that is missing or stale is made (Vite, bounded in time), a current one reused, so
 * specs never test yesterday's console nor rebuild an unchanged one.
 */
export async function consoleBuild(): Promise<string> {
  // Jest sets NODE_ENV=test; the console is built as `npm run build` builds it, for production.
  const hash = createHash('sha256').update('production\0');
  for (const file of sources()) hash.update(file).update('\0').update(readFileSync(join(consoleRoot, file)));
  // The dependencies are built in too (React, recharts, Vite itself): an upgrade is a new build.
  hash.update('package-lock.json\0').update(readFileSync(join(root, 'package-lock.json')));
  const dir = join(tmpdir(), `wallet-console-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(join(dir, 'index.html'))) return dir;
  const partial = mkdtempSync(join(tmpdir(), 'wallet-console-building-'));
  await new Promise<void>((resolve, reject) =>
    execFile(
      process.execPath,
      // Two spec files may build at once, each into a folder of its own: Vite's lock against a
      // second build of the same project (which would share one output folder) does not apply.
      [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--bypass-lock', '--config', join(consoleRoot, 'vite.config.mts')],
      { cwd: root, env: { ...process.env, NODE_ENV: 'production', CONSOLE_OUT_DIR: partial }, timeout: BUILD_TIMEOUT_MS },
      (error, _stdout, stderr) => (error ? reject(new Error(`The console build failed: ${stderr || error.message}`)) : resolve()),
    ),
  );
  try {
    renameSync(partial, dir);
  } catch {
    // Another worker finished the same build first: its folder holds the same files.
    rmSync(partial, { recursive: true, force: true });
  }
  return dir;
}
