import { createHash } from 'node:crypto';
import { type NewKey, issueKey } from './support/callers';
import { cli } from './support/cli';
import { FakeClock } from './support/fake-clock';
import { TEST_ADMIN_KEY, bearer, fundedWallet, get, post } from './support/http';
import { getAfter } from './support/read-model';
import { startTestApp, type TestApp } from './support/test-app';

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

const newKey = (app: TestApp, key: Omit<NewKey, 'name'>) => issueKey(app.baseUrl, { name: 'spec key', ...key });

async function eventCount(app: TestApp): Promise<number> {
  const { rows } = await app.database.pool.query<{ count: string }>('select count(*) from event_store.events');
  return Number(rows[0]!.count);
}

describe('API keys', () => {
  const clock = new FakeClock(Date.parse('2026-03-01T00:00:00.000Z'));
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ clock, env: { API_KEY_CACHE_MS: '0' } });
  });
  afterAll(() => app.close());

  it('a new key is shown once: the database holds only its SHA-256, lists show only its first characters', async () => {
    const { id, secret } = await newKey(app, { scopes: ['wallets:read'] });
    expect(secret).toMatch(/^wsk_[A-Za-z0-9_-]{43}$/);
    const { rows } = await app.database.pool.query('select * from access.api_keys where id = $1', [id]);
    expect(rows[0].secret_hash).toEqual(sha256(secret));
    expect(JSON.stringify(rows[0])).not.toContain(secret.slice(12));
    const listed = await get(app.baseUrl, '/v1/api-keys?limit=500');
    expect(listed.status).toBe(200);
    expect(listed.body.items.find((key: { id: string }) => key.id === id)).toMatchObject({ hint: secret.slice(0, 12), scopes: ['wallets:read'], status: 'active' });
    expect(JSON.stringify(listed.body)).not.toContain(secret.slice(12));
  });

  it('20 keys made at once are 20 distinct keys, each working', async () => {
    const keys = await Promise.all(Array.from({ length: 20 }, () => newKey(app, { scopes: ['wallets:read'] })));
    expect(new Set(keys.map((key) => key.id)).size).toBe(20);
    expect(new Set(keys.map((key) => key.secret)).size).toBe(20);
    const answers = await Promise.all(keys.map((key) => get(app.baseUrl, '/v1/wallets?limit=1', bearer(key.secret))));
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
  });

  it('a revoked key is refused at once; revoking again, even concurrently, keeps the first revocation', async () => {
    const { id, secret } = await newKey(app, { scopes: ['wallets:write'] });
    const walletId = await fundedWallet(app.baseUrl, '100');
    expect((await post(app.baseUrl, `/v1/wallets/${walletId}/transactions`, { type: 'credit', amount: '1' }, bearer(secret))).status).toBe(201);
    const revocations = await Promise.all(Array.from({ length: 10 }, () => post(app.baseUrl, `/v1/api-keys/${id}/revoke`)));
    expect(revocations.map((answer) => answer.status)).toEqual(Array(10).fill(200));
    expect(new Set(revocations.map((answer) => answer.body.revokedAt)).size).toBe(1);
    const before = await eventCount(app);
    const refused = await post(app.baseUrl, `/v1/wallets/${walletId}/transactions`, { type: 'credit', amount: '1' }, bearer(secret));
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('UNAUTHENTICATED');
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await eventCount(app)).toBe(before);
  });

  it('revoking an unknown key: 404', async () => {
    expect((await post(app.baseUrl, '/v1/api-keys/0190f5a4-0000-7000-8000-000000000000/revoke')).status).toBe(404);
    expect((await post(app.baseUrl, '/v1/api-keys/not-a-key/revoke')).status).toBe(404);
  });

  it('a key works until its expiresAt and is refused from then on', async () => {
    const expiresAt = new Date(clock.now().getTime() + 60_000).toISOString();
    const { secret } = await newKey(app, { scopes: ['wallets:read'], expiresAt });
    expect((await get(app.baseUrl, '/v1/wallets?limit=1', bearer(secret))).status).toBe(200);
    clock.advance(60_000);
    const refused = await get(app.baseUrl, '/v1/wallets?limit=1', bearer(secret));
    expect([refused.status, refused.body.code]).toEqual([401, 'UNAUTHENTICATED']);
  });

  it('Idempotency-Keys are per caller: the same key from two API keys is two commands; from one, a replay', async () => {
    const walletId = await fundedWallet(app.baseUrl, '0');
    const first = await newKey(app, { scopes: ['wallets:write'] });
    const second = await newKey(app, { scopes: ['wallets:write'] });
    const send = (secret: string) =>
      post(app.baseUrl, `/v1/wallets/${walletId}/transactions`, { type: 'credit', amount: '5' }, { ...bearer(secret), 'idempotency-key': 'order-42' });
    const [a, b] = await Promise.all([send(first.secret), send(second.secret)]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.transaction.id).not.toBe(b.body.transaction.id);
    const again = await send(first.secret);
    expect(again.headers.get('idempotency-replayed')).toBe('true');
    expect(again.body.transaction.id).toBe(a.body.transaction.id);
    // Both credits, whichever was appended last.
    const last = BigInt(a.body.position) > BigInt(b.body.position) ? a.body.position : b.body.position;
    const wallet = await getAfter(app, `/v1/wallets/${walletId}`, last);
    expect(wallet.body.balance.ledger).toBe('10');
  });

  it('every event records the API key and the request that caused it', async () => {
    const { id, secret } = await newKey(app, { scopes: ['wallets:write'] });
    const opened = await post(app.baseUrl, '/v1/wallets', { type: 'main', currency: 'EUR' }, { ...bearer(secret), 'x-request-id': 'audit-req-1' });
    const { rows } = await app.database.pool.query('select metadata from event_store.events where stream = $1', [`wallet-${opened.body.id}`]);
    expect(rows.map((row) => row.metadata)).toEqual([expect.objectContaining({ apiKeyId: id, requestId: 'audit-req-1' })]);
  });

  it('an Idempotency-Key on key creation is refused: its answer holds a secret that is never stored', async () => {
    const refused = await post(app.baseUrl, '/v1/api-keys', { name: 'x', scopes: ['admin'] }, { 'idempotency-key': 'k-1' });
    expect([refused.status, refused.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('a key may carry webhooks:manage, bound to an owner or not, and lists with it', async () => {
    const platform = await newKey(app, { scopes: ['webhooks:manage'] });
    const owned = await newKey(app, { scopes: ['webhooks:manage', 'events:read'], owner: { ownerType: 'user', ownerRef: 'hooks-1' } });
    const listed = await get(app.baseUrl, '/v1/api-keys?limit=500');
    const scopesOf = (id: string) => listed.body.items.find((key: { id: string }) => key.id === id)?.scopes;
    expect([scopesOf(platform.id), scopesOf(owned.id)]).toEqual([['webhooks:manage'], ['webhooks:manage', 'events:read']]);
    expect((await get(app.baseUrl, '/v1/webhook-endpoints', owned.headers)).status).toBe(200);
  });

  it.each([
    ['an unknown scope', { scopes: ['wallets:delete'] }],
    ['no scope', { scopes: [] }],
    ['an owner-scoped admin', { scopes: ['admin'], owner: { ownerType: 'user', ownerRef: 'u-1' } }],
    ['an owner without ref', { scopes: ['wallets:read'], owner: { ownerType: 'user' } }],
  ])('a key with %s: 400, nothing made', async (_name, body) => {
    const before = (await app.database.pool.query('select count(*) from access.api_keys')).rows[0].count;
    const refused = await post(app.baseUrl, '/v1/api-keys', { name: 'bad', ...body });
    expect([refused.status, refused.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect((await app.database.pool.query('select count(*) from access.api_keys')).rows[0].count).toBe(before);
  });

  it('keys create, list and revoke from the CLI', async () => {
    const env = { DATABASE_URL: app.database.url };
    const created = await cli(['keys', 'create', '--name', 'shop backend', '--scopes', 'wallets:read,events:read', '--owner-type', 'shop', '--owner-ref', 's-1', '--json'], env).done;
    expect(created.code).toBe(0);
    const { key, secret } = JSON.parse(created.stdout) as { key: { id: string; owner: unknown }; secret: string };
    expect(key.owner).toEqual({ ownerType: 'shop', ownerRef: 's-1' });
    expect((await get(app.baseUrl, '/v1/wallets', bearer(secret))).status).toBe(200);
    const listed = await cli(['keys', 'list', '--owner-type', 'shop', '--owner-ref', 's-1'], env).done;
    expect(listed.stdout).toContain(key.id);
    expect(listed.stdout).toContain('shop:s-1');
    expect(listed.stdout).not.toContain(secret);
    const revoked = await cli(['keys', 'revoke', key.id], env).done;
    expect([revoked.code, revoked.stdout]).toEqual([0, expect.stringContaining(`Revoked ${key.id}`)]);
    expect((await get(app.baseUrl, '/v1/wallets', bearer(secret))).status).toBe(401);
    const bad = await cli(['keys', 'create', '--name', 'x', '--scopes', 'everything'], env).done;
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('scopes')]);
  }, 60_000);
});

describe('API keys: rate limits', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMIT_PER_SECOND: '1000' } });
  });
  afterAll(() => app.close());

  it('over its own limit a key gets 429 RATE_LIMITED with Retry-After, nothing applied; other keys are not held up', async () => {
    const walletId = await fundedWallet(app.baseUrl, '0');
    const slow = await newKey(app, { scopes: ['wallets:write', 'wallets:read'], rateLimitPerSecond: 5 });
    const before = await eventCount(app);
    const burst = await Promise.all(
      Array.from({ length: 20 }, () => post(app.baseUrl, `/v1/wallets/${walletId}/transactions`, { type: 'credit', amount: '1' }, bearer(slow.secret))),
    );
    const limited = burst.filter((answer) => answer.status === 429);
    const applied = burst.filter((answer) => answer.status === 201);
    expect(applied.length).toBeGreaterThanOrEqual(1);
    expect(applied.length).toBeLessThanOrEqual(10);
    expect(limited.length).toBe(20 - applied.length);
    expect(limited[0]!.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await eventCount(app)).toBe(before + applied.length);
    expect((await get(app.baseUrl, '/v1/wallets?limit=1')).status).toBe(200);
    const retryAfterMs = Number(limited[0]!.headers.get('retry-after')) * 1_000;
    await new Promise((resolve) => setTimeout(resolve, retryAfterMs));
    expect((await get(app.baseUrl, '/v1/wallets?limit=1', bearer(slow.secret))).status).toBe(200);
  });

  it('the service default applies to keys without a limit of their own', async () => {
    const limited = await startTestApp({ env: { RATE_LIMIT_PER_SECOND: '3' } });
    try {
      const startedAt = Date.now();
      const answers = await Promise.all(Array.from({ length: 10 }, () => get(limited.baseUrl, '/v1/wallets?limit=1', bearer(TEST_ADMIN_KEY))));
      // At most 3 a second pass, counted over however long a loaded machine took to send them.
      const secondsTaken = Math.ceil((Date.now() - startedAt) / 1_000);
      const served = answers.filter((answer) => answer.status === 200).length;
      expect(served).toBeLessThanOrEqual(3 * (secondsTaken + 1));
      expect(answers.filter((answer) => answer.status === 429).length).toBe(10 - served);
      expect(served).toBeLessThan(10);
      expect((await get(limited.baseUrl, '/health/live')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('API keys: guessing', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: { AUTH_FAILURES_PER_MINUTE: '5' } });
  });
  afterAll(() => app.close());

  it('an address that keeps sending bad keys gets 429 RATE_LIMITED with Retry-After; a key already in use there still works', async () => {
    expect((await get(app.baseUrl, '/v1/wallets?limit=1')).status).toBe(200);
    const guesses = [];
    for (let i = 0; i < 8; i += 1) guesses.push(await get(app.baseUrl, '/v1/wallets?limit=1', bearer(`wsk_${'a'.repeat(42)}${i}`)));
    expect(guesses.map((answer) => answer.status)).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    expect(guesses[7]!.body.code).toBe('RATE_LIMITED');
    expect(Number(guesses[7]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await get(app.baseUrl, '/v1/wallets?limit=1', { authorization: '' })).status).toBe(429);
    expect((await get(app.baseUrl, '/v1/wallets?limit=1')).status).toBe(200);
    expect((await get(app.baseUrl, '/health/live')).status).toBe(200);
  });
});
