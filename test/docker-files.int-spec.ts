import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(__dirname, '..');
const dockerfiles = readdirSync(join(root, 'docker')).filter((name) => name.endsWith('.Dockerfile'));

/** The sources of every `COPY` that copies from the build context (not `--from` a stage). */
function contextSources(dockerfile: string): string[] {
  return readFileSync(join(root, 'docker', dockerfile), 'utf8')
    .split('\n')
    .filter((line) => /^COPY\s/i.test(line) && !/--from=/i.test(line))
    .flatMap((line) => line.trim().split(/\s+/).slice(1, -1).filter((word) => !word.startsWith('--')));
}

/**
 * There is no Docker engine to build the images with here, so this checks what breaks a
 * build before Docker runs anything of ours: a file the Dockerfiles copy that is missing, and
 * a lockfile `npm ci` refuses.
 */
describe('the Dockerfiles', () => {
  it('exist for the API and the projector', () => {
    expect(dockerfiles.sort()).toEqual(['projector.Dockerfile', 'wallet-api.Dockerfile']);
  });

  it.each(dockerfiles)('%s copies only what the repository has', (dockerfile) => {
    const sources = contextSources(dockerfile);
    expect(sources).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'apps', 'libs']));
    const missing = sources.filter((source) => {
      if (!source.includes('*')) return !existsSync(join(root, source));
      const pattern = new RegExp(`^${source.replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`);
      return !readdirSync(root).some((name) => pattern.test(name));
    });
    expect(missing).toEqual([]);
  });

  it('install from the committed lockfile: npm ci --omit=dev resolves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wallet-npm-ci-'));
    try {
      for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(root, file), join(dir, file));
      const { stdout } = await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--dry-run', '--no-audit', '--no-fund'], { cwd: dir, timeout: 120_000 });
      expect(stdout).toMatch(/added \d+ packages/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);
});
