import { request as httpRequest } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { assertDocumented } from './support/contract';
import { fundedWallet, post, request, TEST_ADMIN_KEY } from './support/http';
import { startTestApp, type TestApp } from './support/test-app';
import { getAfter } from './support/read-model';

interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/** One request over node:http, which (unlike fetch) hands back the bytes as they came. */
function exchange(baseUrl: string, method: string, path: string, headers: Record<string, string>, readForMs?: number): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(`${baseUrl}${path}`, { method, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      const done = (): void => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks) });
      incoming.on('end', done);
      if (readForMs !== undefined) setTimeout(() => (done(), outgoing.destroy()), readForMs);
    });
    outgoing.on('error', (error) => (readForMs === undefined ? reject(error) : undefined));
    outgoing.end();
  });
}

const DECODERS: Record<string, (bytes: Buffer) => Buffer> = { gzip: gunzipSync, br: brotliDecompressSync };

/**
 * `exchange`, with the answer checked against the OpenAPI document once decoded (an event
 * stream cut off after `readForMs` by its headers only). A CORS preflight (OPTIONS) is
 * answered by the CORS plugin for any path, before routing: it is no operation of the API.
 */
async function raw(baseUrl: string, method: string, path: string, headers: Record<string, string>, readForMs?: number): Promise<RawAnswer> {
  const answer = await exchange(baseUrl, method, path, headers, readForMs);
  if (method === 'OPTIONS') return answer;
  const header = (name: string): string | undefined => [answer.headers[name]].flat()[0];
  const decode = DECODERS[header('content-encoding') ?? ''] ?? ((bytes: Buffer) => bytes);
  const text = readForMs === undefined ? decode(answer.body).toString() : undefined;
  await assertDocumented(baseUrl, { method, target: path, status: answer.status, header, text });
  return answer;
}

const admin = { authorization: `Bearer ${TEST_ADMIN_KEY}` };

describe('HTTP conventions', () => {
  let app: TestApp;
  let walletId: string;
  /** The position of the last write before the specs: reads wait for it, so none sees the read model mid-way. */
  let lastPosition: string;
  beforeAll(async () => {
    app = await startTestApp();
    walletId = await fundedWallet(app.baseUrl, '100000');
    for (let i = 0; i < 40; i += 1) {
      lastPosition = (await post(app.baseUrl, `/v1/wallets/${walletId}/transactions`, { type: 'debit', amount: '1', description: `coffee ${i}` })).body.position;
    }
    // Reached once here, with the patience of getAfter: every read below then answers at once.
    const caughtUp = await getAfter(app, `/v1/wallets/${walletId}`, lastPosition);
    if (caughtUp.status !== 200) throw new Error(`the read model did not reach ${lastPosition}: ${caughtUp.status}`);
  });
  afterAll(() => app.close());

  describe('405 Method Not Allowed', () => {
    it('answers a method a known path does not take with 405 METHOD_NOT_ALLOWED and Allow', async () => {
      const wrong = await request(app.baseUrl, 'DELETE', `/v1/wallets/${walletId}`);
      expect([wrong.status, wrong.body.code]).toEqual([405, 'METHOD_NOT_ALLOWED']);
      expect(wrong.headers.get('content-type')).toContain('application/problem+json');
      expect(wrong.headers.get('allow')).toBe('GET, HEAD');
      const onCollection = await request(app.baseUrl, 'PUT', '/v1/wallets');
      expect([onCollection.status, onCollection.headers.get('allow')]).toEqual([405, 'GET, HEAD, POST']);
      const onCommand = await request(app.baseUrl, 'GET', `/v1/wallets/${walletId}/transactions/${crypto.randomUUID()}/confirm`);
      expect([onCommand.status, onCommand.headers.get('allow')]).toEqual([405, 'POST']);
    });

    it('changes nothing, still needs a key, and leaves unknown paths at 404', async () => {
      const wallet = `/v1/wallets/${walletId}?minPosition=${lastPosition}`;
      const before = await request(app.baseUrl, 'GET', wallet);
      expect((await request(app.baseUrl, 'PATCH', `/v1/wallets/${walletId}`, { type: 'x' })).status).toBe(405);
      expect((await request(app.baseUrl, 'GET', wallet)).body).toEqual(before.body);
      const anonymous = await request(app.baseUrl, 'DELETE', `/v1/wallets/${walletId}`, undefined, { authorization: '' });
      expect([anonymous.status, anonymous.headers.get('allow')]).toEqual([401, null]);
      expect((await request(app.baseUrl, 'DELETE', '/v1/nothing-here')).status).toBe(404);
    });
  });

  describe('compression', () => {
    const historyPath = () => `/v1/wallets/${walletId}/transactions?limit=500&minPosition=${lastPosition}`;

    it.each([['gzip', gunzipSync], ['br', brotliDecompressSync]] as const)('sends a large answer as %s when asked, the same JSON once decoded', async (encoding, decode) => {
      const plain = await raw(app.baseUrl, 'GET', historyPath(), admin);
      const packed = await raw(app.baseUrl, 'GET', historyPath(), { ...admin, 'accept-encoding': encoding });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body.length).toBeGreaterThan(10_000);
      expect(packed.headers['content-encoding']).toBe(encoding);
      expect(packed.body.length).toBeLessThan(plain.body.length / 4);
      expect(JSON.parse(decode(packed.body).toString())).toEqual(JSON.parse(plain.body.toString()));
    });

    it('leaves small answers and the event stream uncompressed', async () => {
      const small = await raw(app.baseUrl, 'GET', '/health/live', { 'accept-encoding': 'gzip, br' });
      expect(small.body.length).toBeLessThan(1_024);
      expect(small.headers['content-encoding']).toBeUndefined();
      const stream = await raw(app.baseUrl, 'GET', '/v1/events/stream?after=0', { ...admin, 'accept-encoding': 'gzip, br' }, 500);
      expect(stream.headers['content-type']).toBe('text/event-stream');
      expect(stream.headers['content-encoding']).toBeUndefined();
      expect(stream.body.toString()).toContain('data: {"position":"1"');
    });
  });

  describe('CORS', () => {
    const preflight = (baseUrl: string, origin: string) =>
      raw(baseUrl, 'OPTIONS', '/v1/wallets', { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, idempotency-key' });

    it('sends no CORS header at all by default', async () => {
      const answer = await raw(app.baseUrl, 'GET', `/v1/wallets/${walletId}`, { ...admin, origin: 'https://console.example.com' });
      expect(answer.status).toBe(200);
      expect(Object.keys(answer.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
      expect((await preflight(app.baseUrl, 'https://console.example.com')).headers['access-control-allow-origin']).toBeUndefined();
    });

    it('allows only the origins in CORS_ORIGINS: a preflight without a key, and the headers a client reads', async () => {
      const listed = await startTestApp({ env: { CORS_ORIGINS: 'https://console.example.com, https://ops.example.com' } });
      try {
        const allowed = await preflight(listed.baseUrl, 'https://ops.example.com');
        expect(allowed.status).toBe(204);
        expect(allowed.headers['access-control-allow-origin']).toBe('https://ops.example.com');
        expect(String(allowed.headers['access-control-allow-headers'])).toContain('idempotency-key');
        expect(String(allowed.headers['access-control-allow-methods'])).toContain('POST');
        const other = await preflight(listed.baseUrl, 'https://evil.example.com');
        expect(other.headers['access-control-allow-origin']).toBeUndefined();
        const read = await raw(listed.baseUrl, 'GET', '/v1/wallets', { ...admin, origin: 'https://console.example.com' });
        expect(read.headers['access-control-allow-origin']).toBe('https://console.example.com');
        expect(String(read.headers['access-control-expose-headers'])).toContain('x-read-model-position');
      } finally {
        await listed.close();
      }
    });
  });
});
