import { fundedWallet, post } from './support/http';
import { startTestApp, type TestApp } from './support/test-app';
import { blockAppends } from './support/append-lock';



const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('resilience', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: { IDEMPOTENCY_LEASE_MS: '1000' } });
  });
  afterAll(async () => app.close());

  it('keeps a slow request\'s idempotency key past its lease: a repeat gets 409, then the replay', async () => {
    const walletId = await fundedWallet(app.baseUrl, '100');
    const path = `/v1/wallets/${walletId}/transactions`;
    const headers = { 'idempotency-key': 'slow-1' };
    const unblock = await blockAppends(app.database.url);
    const first = post(app.baseUrl, path, { type: 'credit', amount: '5' }, headers);
    await sleep(1_600);
    const repeat = await post(app.baseUrl, path, { type: 'credit', amount: '5' }, headers);
    expect(repeat.status).toBe(409);
    expect(repeat.body.code).toBe('IDEMPOTENCY_KEY_IN_PROGRESS');
    expect(repeat.headers.get('retry-after')).toBe('1');
    await unblock();
    const original = await first;
    expect(original.status).toBe(201);
    const replay = await post(app.baseUrl, path, { type: 'credit', amount: '5' }, headers);
    expect(replay.headers.get('idempotency-replayed')).toBe('true');
    expect(replay.body).toEqual(original.body);
  });

  it('refuses a body nested too deeply with a 400, also with an Idempotency-Key', async () => {
    const nested = `${'['.repeat(20_000)}1${']'.repeat(20_000)}`;
    const body = `{"type":"main","currency":"USD","metadata":{"a":${nested}}}`;
    const result = await post(app.baseUrl, '/v1/wallets', body, { 'idempotency-key': 'deep-1' });
    expect(result.status).toBe(400);
    expect(result.body.code).toBe('VALIDATION_FAILED');
  });

  it('does not store a validation refusal decided by the domain: the key stays usable', async () => {
    const walletId = await fundedWallet(app.baseUrl, '100');
    const path = `/v1/wallets/${walletId}/transactions`;
    const headers = { 'idempotency-key': 'past-expiry' };
    const past = await post(app.baseUrl, path, { type: 'debit', amount: '5', pending: true, expiresAt: '2000-01-01T00:00:00Z' }, headers);
    expect(past.status).toBe(400);
    const fixed = await post(app.baseUrl, path, { type: 'debit', amount: '5', pending: true, expiresAt: '2999-01-01T00:00:00Z' }, headers);
    expect(fixed.status).toBe(201);
  });
});

describe('shutdown', () => {
  it('lets an in-flight request finish, closes its keep-alive socket and stops promptly', async () => {
    const app = await startTestApp();
    const walletId = await fundedWallet(app.baseUrl, '100');
    const unblock = await blockAppends(app.database.url);
    const inFlight = post(app.baseUrl, `/v1/wallets/${walletId}/transactions`, { type: 'credit', amount: '1' });
    await sleep(200);
    const started = Date.now();
    const closing = app.close();
    await sleep(200);
    await unblock();
    const response = await inFlight;
    await closing;
    expect(response.status).toBe(201);
    expect(response.headers.get('connection')).toBe('close');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
