import { randomUUID } from 'node:crypto';
import { FakeClock } from './support/fake-clock';
import { type HttpResult, fundedWallet, post, request } from './support/http';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Bad input gets a 4xx application/problem+json answer (type, title, status, detail, code)
 * and changes nothing: the event log has exactly as many events after as before.
 */

const PROBLEM_FIELDS = { type: expect.any(String), title: expect.any(String), status: expect.any(Number), detail: expect.any(String), code: expect.any(String) };

function expectProblem(result: HttpResult, status: number, code?: string): void {
  expect(result.status).toBe(status);
  expect(result.headers.get('content-type')).toContain('application/problem+json');
  expect(result.body).toMatchObject({ ...PROBLEM_FIELDS, status, ...(code ? { code } : {}) });
}

async function totalEvents(app: TestApp): Promise<number> {
  const { rows } = await app.database.pool.query<{ count: string }>('select count(*) from event_store.events');
  return Number(rows[0]!.count);
}

/** Sends, expects the problem, and checks that the event log did not grow. */
async function expectRefusedUnchanged(app: TestApp, send: () => Promise<HttpResult>, status: number, code?: string): Promise<HttpResult> {
  const before = await totalEvents(app);
  const result = await send();
  expectProblem(result, status, code);
  expect(await totalEvents(app)).toBe(before);
  return result;
}

const transactionsPath = (walletId: string) => `/v1/wallets/${walletId}/transactions`;
const settlePath = (walletId: string, transactionId: string, action: 'confirm' | 'reject') => `/v1/wallets/${walletId}/transactions/${transactionId}/${action}`;

describe('bad input', () => {
  let app: TestApp;
  /** Holds 1000; every refused request below targets it, and the last test checks it is intact. */
  let walletId: string;

  beforeAll(async () => {
    app = await startTestApp();
    walletId = await fundedWallet(app.baseUrl, '1000');
  });
  afterAll(async () => app.close());

  const refused = (send: () => Promise<HttpResult>, status: number, code?: string) => expectRefusedUnchanged(app, send, status, code);
  const record = (body: unknown, headers?: Record<string, string>) => post(app.baseUrl, transactionsPath(walletId), body, headers);
  const openWallet = (body: unknown) => post(app.baseUrl, '/v1/wallets', body);

  describe('amounts', () => {
    const badAmounts: [string, unknown][] = [
      ['a decimal "1.5"', '1.5'],
      ['a negative "-1"', '-1'],
      ['zero "0"', '0'],
      ['a leading zero "01"', '01'],
      ['a JSON number 1000', 1000],
      ['"99999999999999999999" (20 digits)', '99999999999999999999'],
      ['2^63 "9223372036854775808"', '9223372036854775808'],
      ['an empty string', ''],
      ['exponent notation "1e3"', '1e3'],
      ['a plus sign "+10"', '+10'],
      ['surrounding spaces " 10 "', ' 10 '],
      ['hexadecimal "0x10"', '0x10'],
      ['non-ASCII digits "١٠"', '١٠'],
      ['null', null],
      ['a boolean', true],
    ];

    it.each(badAmounts)('a credit of %s: 400 VALIDATION_FAILED', async (_name, amount) => {
      await refused(() => record({ type: 'credit', amount }), 400, 'VALIDATION_FAILED');
    });

    it.each(badAmounts)('a pending debit of %s: 400 VALIDATION_FAILED', async (_name, amount) => {
      await refused(() => record({ type: 'debit', amount, pending: true }), 400, 'VALIDATION_FAILED');
    });

    it('a missing amount: 400 VALIDATION_FAILED naming the field', async () => {
      const result = await refused(() => record({ type: 'credit' }), 400, 'VALIDATION_FAILED');
      expect(result.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'amount' })]));
    });

    it('2^63 - 1 "9223372036854775807" is the largest accepted credit', async () => {
      const opened = await openWallet({ type: 'main', currency: 'USD' });
      const credit = await post(app.baseUrl, transactionsPath(opened.body.id), { type: 'credit', amount: '9223372036854775807' });
      expect(credit.status).toBe(201);
      expect(credit.body.transaction.amount).toBe('9223372036854775807');
      expect(credit.body.balance).toEqual({ ledger: '9223372036854775807', available: '9223372036854775807', pendingDebits: '0', pendingCredits: '0' });
      // One more minor unit would not fit: refused as a 4xx, nothing recorded.
      await refused(() => post(app.baseUrl, transactionsPath(opened.body.id), { type: 'credit', amount: '1' }), 422);
    });
  });

  describe('transaction bodies', () => {
    it.each<[string, unknown]>([
      ['an unknown type "transfer"', { type: 'transfer', amount: '10' }],
      ['an unknown top-level field', { type: 'credit', amount: '10', currency: 'USD' }],
      ['expiresAt without pending', { type: 'debit', amount: '10', expiresAt: new Date(Date.now() + 60_000).toISOString() }],
      ['expiresAt with pending: false', { type: 'debit', amount: '10', pending: false, expiresAt: new Date(Date.now() + 60_000).toISOString() }],
      ['expiresAt that is not a timestamp', { type: 'debit', amount: '10', pending: true, expiresAt: 'tomorrow' }],
      ['expiresAt in the past', { type: 'debit', amount: '10', pending: true, expiresAt: '2020-01-01T00:00:00.000Z' }],
      ['pending as a string', { type: 'debit', amount: '10', pending: 'true' }],
      ['metadata larger than 4 KiB', { type: 'credit', amount: '10', metadata: { note: 'x'.repeat(4 * 1024) } }],
      ['metadata with a nested object', { type: 'credit', amount: '10', metadata: { customer: { id: 7 } } }],
      ['metadata with an array value', { type: 'credit', amount: '10', metadata: { tags: ['a'] } }],
      ['metadata that is an array', { type: 'credit', amount: '10', metadata: ['a'] }],
      ['an empty description', { type: 'credit', amount: '10', description: '' }],
      ['a description over 500 characters', { type: 'credit', amount: '10', description: 'd'.repeat(501) }],
      ['a JSON array body', []],
      ['a JSON null body', null],
    ])('%s: 400 VALIDATION_FAILED', async (_name, body) => {
      await refused(() => record(body === null ? 'null' : body), 400, 'VALIDATION_FAILED');
    });

    it('no body at all: 400 VALIDATION_FAILED', async () => {
      await refused(() => post(app.baseUrl, transactionsPath(walletId)), 400, 'VALIDATION_FAILED');
    });

    it('malformed JSON: 400', async () => {
      await refused(() => record('{"type":', { 'content-type': 'application/json' }), 400, 'VALIDATION_FAILED');
    });

    it('a __proto__ key in the body: 400, never merged into anything', async () => {
      await refused(() => record('{"type":"credit","amount":"10","metadata":{"__proto__":{"polluted":true}}}'), 400);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    });

    it('a 1 MiB body: 413', async () => {
      const body = JSON.stringify({ type: 'credit', amount: '10', description: 'x'.repeat(1024 * 1024) });
      await refused(() => record(body), 413, 'PAYLOAD_TOO_LARGE');
    });

    it('an unknown field in a reject body: 400, the hold stays pending', async () => {
      const hold = await record({ type: 'debit', amount: '10', pending: true });
      expect(hold.status).toBe(201);
      const id = hold.body.transaction.id as string;
      await refused(() => post(app.baseUrl, settlePath(walletId, id, 'reject'), { reason: 'x', force: true }), 400, 'VALIDATION_FAILED');
      const rejected = await post(app.baseUrl, settlePath(walletId, id, 'reject'));
      expect(rejected.status).toBe(200);
      expect(rejected.body.balance.available).toBe('1000');
    });
  });

  describe('wallet bodies', () => {
    it.each<[string, unknown]>([
      ['an unknown currency "XYZ"', { type: 'main', currency: 'XYZ' }],
      ['a lowercase currency "usd"', { type: 'main', currency: 'usd' }],
      ['a numeric currency 840', { type: 'main', currency: 840 }],
      ['a missing currency', { type: 'main' }],
      ['a wallet type "Bad Type!"', { type: 'Bad Type!', currency: 'USD' }],
      ['a wallet type of 65 characters', { type: 'a'.repeat(65), currency: 'USD' }],
      ['an unknown top-level field', { type: 'main', currency: 'USD', balance: '1000' }],
      ['an unknown field inside owners', { type: 'main', currency: 'USD', owners: [{ ownerType: 'user', ownerRef: 'u-1', role: 'admin' }] }],
      ['an owner without ownerRef', { type: 'main', currency: 'USD', owners: [{ ownerType: 'user' }] }],
      ['metadata larger than 4 KiB', { type: 'main', currency: 'USD', metadata: { blob: 'x'.repeat(4 * 1024) } }],
      ['metadata with a nested object', { type: 'main', currency: 'USD', metadata: { address: { city: 'Oslo' } } }],
    ])('opening a wallet with %s: 400 VALIDATION_FAILED', async (_name, body) => {
      await refused(() => openWallet(body), 400, 'VALIDATION_FAILED');
    });

    it('metadata of exactly 4 KiB is accepted', async () => {
      const metadata = { blob: 'x'.repeat(4096 - '{"blob":""}'.length) };
      expect(Buffer.byteLength(JSON.stringify(metadata))).toBe(4096);
      const opened = await openWallet({ type: 'main', currency: 'USD', metadata });
      expect(opened.status).toBe(201);
    });

    it('an unknown field in an added owner: 400 VALIDATION_FAILED', async () => {
      await refused(() => post(app.baseUrl, `/v1/wallets/${walletId}/owners`, { ownerType: 'user', ownerRef: 'u-1', primary: true }), 400, 'VALIDATION_FAILED');
    });
  });

  describe('unknown wallets and transactions', () => {
    const unknownWallet = randomUUID();

    it.each<[string, () => Promise<HttpResult>]>([
      ['recording a transaction', () => post(app.baseUrl, transactionsPath(unknownWallet), { type: 'credit', amount: '10' })],
      ['adding an owner', () => post(app.baseUrl, `/v1/wallets/${unknownWallet}/owners`, { ownerType: 'user', ownerRef: 'u-1' })],
      ['confirming', () => post(app.baseUrl, settlePath(unknownWallet, randomUUID(), 'confirm'))],
      ['rejecting', () => post(app.baseUrl, settlePath(unknownWallet, randomUUID(), 'reject'), { reason: 'x' })],
      ['recording a transaction (the id is not even a UUID)', () => post(app.baseUrl, transactionsPath('not-a-wallet'), { type: 'credit', amount: '10' })],
    ])('%s on an unknown wallet: 404 WALLET_NOT_FOUND', async (_name, send) => {
      await refused(send, 404, 'WALLET_NOT_FOUND');
    });

    it.each(['confirm', 'reject'] as const)('%s of an unknown transaction on an existing wallet: 404 TRANSACTION_NOT_FOUND', async (action) => {
      await refused(() => post(app.baseUrl, settlePath(walletId, randomUUID(), action)), 404, 'TRANSACTION_NOT_FOUND');
    });

    it('a transaction of another wallet: 404 TRANSACTION_NOT_FOUND', async () => {
      const other = await fundedWallet(app.baseUrl, '100');
      const hold = await post(app.baseUrl, transactionsPath(other), { type: 'debit', amount: '10', pending: true });
      await refused(() => post(app.baseUrl, settlePath(walletId, hold.body.transaction.id, 'confirm')), 404, 'TRANSACTION_NOT_FOUND');
    });
  });

  describe('settling a transaction that is not pending: 409 TRANSACTION_NOT_PENDING', () => {
    async function settledHold(action: 'confirm' | 'reject'): Promise<string> {
      const hold = await record({ type: 'debit', amount: '10', pending: true });
      const settled = await post(app.baseUrl, settlePath(walletId, hold.body.transaction.id, action));
      expect(settled.status).toBe(200);
      return hold.body.transaction.id as string;
    }

    it('confirming a confirmed transaction', async () => {
      const id = await settledHold('confirm');
      await refused(() => post(app.baseUrl, settlePath(walletId, id, 'confirm')), 409, 'TRANSACTION_NOT_PENDING');
    });

    it('rejecting a rejected transaction', async () => {
      const id = await settledHold('reject');
      await refused(() => post(app.baseUrl, settlePath(walletId, id, 'reject')), 409, 'TRANSACTION_NOT_PENDING');
    });

    it('confirming a rejected one and rejecting a confirmed one', async () => {
      const rejected = await settledHold('reject');
      const confirmed = await settledHold('confirm');
      await refused(() => post(app.baseUrl, settlePath(walletId, rejected, 'confirm')), 409, 'TRANSACTION_NOT_PENDING');
      await refused(() => post(app.baseUrl, settlePath(walletId, confirmed, 'reject')), 409, 'TRANSACTION_NOT_PENDING');
    });

    it('confirming a transaction that was never pending', async () => {
      const credit = await record({ type: 'credit', amount: '10' });
      await refused(() => post(app.baseUrl, settlePath(walletId, credit.body.transaction.id, 'confirm')), 409, 'TRANSACTION_NOT_PENDING');
      const debit = await record({ type: 'debit', amount: '10' });
      expect(debit.body.balance.available).toBe('980');
    });
  });

  describe('routes', () => {
    it.each([
      ['GET', '/v1/nope'],
      ['POST', '/v1/nope'],
      ['GET', '/v2/wallets'],
    ])('%s %s: 404 problem json', async (method, path) => {
      await refused(() => request(app.baseUrl, method, path), 404);
    });

    it('DELETE on a wallet: 405 problem json, nothing changed', async () => {
      await refused(() => request(app.baseUrl, 'DELETE', '/v1/wallets/00000000-0000-7000-8000-000000000000'), 405);
    });
  });

  describe('text PostgreSQL cannot store', () => {
    // Each of these is a 4xx at best or accepted verbatim; a 500 breaks "bad input is a 4xx, never a 5xx".
    it('U+0000 in the wallet id of the path names no wallet: 404', async () => {
      await refused(() => post(app.baseUrl, '/v1/wallets/%00/transactions', { type: 'credit', amount: '10' }), 404);
    });

    const cases: [string, () => Promise<HttpResult>][] = [
      ['U+0000 in a description', () => record({ type: 'credit', amount: '10', description: 'a\u0000b' })],
      ['U+0000 in a metadata value', () => record({ type: 'credit', amount: '10', metadata: { note: 'a\u0000b' } })],
      ['U+0000 in an ownerRef', () => post(app.baseUrl, `/v1/wallets/${walletId}/owners`, { ownerType: 'user', ownerRef: 'a\u0000b' })],
      ['an unpaired surrogate in a description', () => record('{"type":"credit","amount":"10","description":"\\ud800"}')],
    ];

    it.each(cases)('%s: 400, never a 500', async (_name, send) => {
      await refused(send, 400);
    });

    it.each(cases)('%s: nothing is recorded whatever the answer', async (_name, send) => {
      const before = await totalEvents(app);
      const result = await send();
      expect(result.status).toBeGreaterThanOrEqual(400);
      expect(result.body).toMatchObject(PROBLEM_FIELDS);
      expect(await totalEvents(app)).toBe(before);
    });
  });

  describe('requests Fastify refuses before routing', () => {
    const cases: [string, string, number][] = [
      ['an invalid percent-encoding in the path', '/v1/wallets/%C3%28/transactions', 400],
      ['a 5000-character wallet id', `/v1/wallets/${'a'.repeat(5000)}/transactions`, 414],
    ];

    it.each(cases)('%s: a 4xx and nothing recorded', async (_name, path, status) => {
      const before = await totalEvents(app);
      const result = await post(app.baseUrl, path, { type: 'credit', amount: '10' });
      expect(result.status).toBe(status);
      expect(await totalEvents(app)).toBe(before);
    });

    it.each(cases)('%s: answered as application/problem+json', async (_name, path, status) => {
      expectProblem(await post(app.baseUrl, path, { type: 'credit', amount: '10' }), status);
    });
  });

  describe('finally', () => {
    it('after every refusal above, the shared wallet holds exactly what its accepted commands left', async () => {
      // 1000 funded; the "settling" tests confirmed two holds of 10 and debited 10 after a credit of 10.
      const check = await record({ type: 'credit', amount: '1' });
      expect(check.status).toBe(201);
      expect(check.body.balance).toEqual({ ledger: '981', available: '981', pendingDebits: '0', pendingCredits: '0' });
    });
  });
});

describe('bad input: HOLD_EXPIRED (with a fake clock)', () => {
  const clock = new FakeClock(Date.now());
  let app: TestApp;
  let walletId: string;

  beforeAll(async () => {
    app = await startTestApp({ clock, env: { EXPIRY_INTERVAL_MS: '3600000' } });
    walletId = await fundedWallet(app.baseUrl, '1000');
  });
  afterAll(async () => app.close());

  const holdFor = async (amount: string, expiresInMs: number) => {
    const expiresAt = new Date(clock.now().getTime() + expiresInMs).toISOString();
    const hold = await post(app.baseUrl, transactionsPath(walletId), { type: 'debit', amount, pending: true, expiresAt });
    expect(hold.status).toBe(201);
    expect(hold.body.transaction.expiresAt).toBe(expiresAt);
    return hold.body.transaction.id as string;
  };

  it('confirming after expiresAt: 422 HOLD_EXPIRED and nothing changes; rejecting still works', async () => {
    const id = await holdFor('300', 60_000);
    clock.advance(61_000);

    const expired = await expectRefusedUnchanged(app, () => post(app.baseUrl, settlePath(walletId, id, 'confirm')), 422, 'HOLD_EXPIRED');
    expect(expired.body.detail).toContain(id);

    const rejected = await post(app.baseUrl, settlePath(walletId, id, 'reject'), { reason: 'too late' });
    expect(rejected.status).toBe(200);
    expect(rejected.body.transaction).toMatchObject({ status: 'rejected', rejectReason: 'too late' });
    expect(rejected.body.transaction.confirmRejectTimestamp).toBe(clock.now().toISOString());
    expect(rejected.body.balance).toEqual({ ledger: '1000', available: '1000', pendingDebits: '0', pendingCredits: '0' });
  });

  it('confirming just before expiresAt works', async () => {
    const id = await holdFor('200', 60_000);
    clock.advance(59_999);
    const confirmed = await post(app.baseUrl, settlePath(walletId, id, 'confirm'));
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.balance).toEqual({ ledger: '800', available: '800', pendingDebits: '0', pendingCredits: '0' });
  });

  it('confirming exactly at expiresAt is already too late', async () => {
    const id = await holdFor('100', 60_000);
    clock.advance(60_000);
    await expectRefusedUnchanged(app, () => post(app.baseUrl, settlePath(walletId, id, 'confirm')), 422, 'HOLD_EXPIRED');
  });

  it('an expiresAt that is not after the clock: 400 VALIDATION_FAILED', async () => {
    const expiresAt = clock.now().toISOString();
    await expectRefusedUnchanged(app, () => post(app.baseUrl, transactionsPath(walletId), { type: 'debit', amount: '1', pending: true, expiresAt }), 400, 'VALIDATION_FAILED');
  });
});
