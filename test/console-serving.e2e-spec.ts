import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleBuild } from './support/console-build';
import { bearer, TEST_ADMIN_KEY } from './support/http';
import { type TestApp, startTestApp } from './support/test-app';

/** A fetch whose body is read to the end, so that no connection is left busy when the app closes. */
async function get(url: string, init?: RequestInit): Promise<{ status: number; headers: Headers; text: string }> {
  const answer = await fetch(url, init);
  return { status: answer.status, headers: answer.headers, text: await answer.text() };
}

/** How the API serves the console's build at /console; no browser needed. */
describe('the console at /console', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: { CONSOLE_DIR: await consoleBuild() } });
  }, 120_000);
  afterAll(() => app?.close());

  it('is served at /console with a strict CSP, the page never cached and hashed assets immutable', async () => {
    const page = await get(`${app.baseUrl}/console`);
    const html = page.text;
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const csp = page.headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'self'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'"]) expect(csp).toContain(directive);
    expect(csp).not.toContain('unsafe-inline');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toContain('<style');

    const asset = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const script = await get(`${app.baseUrl}${asset}`);
    expect(script.status).toBe(200);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);

    // The console's own routes get the page; a missing asset is a 404, not the page.
    expect((await get(`${app.baseUrl}/console/anything/else`)).headers.get('content-type')).toMatch(/^text\/html/);
    const gone = await get(`${app.baseUrl}/console/assets/gone-0000.js`);
    expect({ status: gone.status, type: gone.headers.get('content-type'), cache: gone.headers.get('cache-control') }).toEqual({ status: 404, type: expect.stringMatching(/^application\/problem\+json/), cache: 'no-store' });
  });

  it('answers only with the files of the build, whatever the path says', async () => {
    for (const path of ['/console/%2e%2e/package.json', '/console/..%2fpackage.json', '/console/assets/..%2f..%2fpackage.json']) {
      const answer = await get(`${app.baseUrl}${path}`);
      expect({ path, body: answer.text.includes('"name": "wallet-service"') }).toEqual({ path, body: false });
    }
  });

  it('takes GET and HEAD only', async () => {
    const answer = await get(`${app.baseUrl}/console`, { method: 'POST', headers: bearer(TEST_ADMIN_KEY) });
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('the API without a console build', () => {
  it('does not serve /console', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'wallet-no-console-'));
    const app = await startTestApp({ env: { CONSOLE_DIR: empty } });
    try {
      expect((await get(`${app.baseUrl}/console`, { headers: bearer(TEST_ADMIN_KEY) })).status).toBe(404);
    } finally {
      await app.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
