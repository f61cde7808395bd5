import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(__dirname, '..');
const node = (script: string, ...args: string[]) => run(process.execPath, [join(root, 'scripts', script), ...args], { cwd: root });

/** The document as scripts outside Jest build it: what users lint and generate clients from. */
describe('the OpenAPI document', () => {
  it('has the committed client types generated from it (npm run openapi:types)', async () => {
    const checked = await node('openapi-types.mjs', '--check').catch((error: { stdout: string; stderr: string }) => error);
    expect(checked.stderr).toBe('');
    expect(checked.stdout).toContain('up to date');
  });

  it('validates as OpenAPI and has no Redocly error (npm run openapi:lint)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wallet-openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      await node('openapi-document.mjs', file);
      const linted = await node('lint-openapi.mjs', file).catch((error: { stdout: string }) => error);
      const report = JSON.parse(linted.stdout) as { swaggerParserErrors: string[]; redoclyErrors: string[] };
      expect({ swaggerParser: report.swaggerParserErrors, redocly: report.redoclyErrors }).toEqual({ swaggerParser: [], redocly: [] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
