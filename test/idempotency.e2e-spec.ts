import { randomUUID } from 'node:crypto';
import { type HttpResult, TEST_ADMIN_KEY, fundedWallet, post } from './support/http';
import { startTestApp, type TestApp } from './support/test-app';
import { assertDocumented } from './support/contract';
import { rawRequest } from './support/hostile/raw-http';

/** The Idempotency-Key contract of API.md, over real HTTP against a real database. */
describe('Idempotency-Key', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app.close());

  const newKey = () => `key-${randomUUID()}`;
  const withKey = (key: string) => ({ 'idempotency-key': key });
  const transactionsPath = (walletId: string) => `/v1/wallets/${walletId}/transactions`;
  const isReplay = (result: HttpResult) => result.headers.get('idempotency-replayed') === 'true';

  async function count(sql: string, params: unknown[] = []): Promise<number> {
    const { rows } = await app.database.pool.query<{ count: string }>(sql, params);
    return Number(rows[0]!.count);
  }
  const eventsInStream = (walletId: string) => count('select count(*) from event_store.events where stream = $1', [`wallet-${walletId}`]);
  const allEvents = () => count('select count(*) from event_store.events');
  /** Events appended under this key (the key is kept in each event's metadata). */
  const eventsWithKey = (key: string) => count(`select count(*) from event_store.events where metadata->>'idempotencyKey' = $1`, [key]);

  /** The balance as of now, read through a keyless top-up of 1 (there is no GET route yet). */
  async function availableAfterTopUpOf1(walletId: string): Promise<string> {
    const topUp = await post(app.baseUrl, transactionsPath(walletId), { type: 'credit', amount: '1' });
    expect(topUp.status).toBe(201);
    return topUp.body.balance.available as string;
  }

  it('replays a repeated request: same status and body, Idempotency-Replayed: true, one event', async () => {
    const walletId = await fundedWallet(app.baseUrl, '1000');
    const key = newKey();
    const body = { type: 'debit', amount: '250', description: 'order 17', metadata: { order: 17 } };

    const first = await post(app.baseUrl, transactionsPath(walletId), body, withKey(key));
    const second = await post(app.baseUrl, transactionsPath(walletId), body, withKey(key));

    expect(first.status).toBe(201);
    expect(isReplay(first)).toBe(false);
    expect(second.status).toBe(first.status);
    expect(second.body).toEqual(first.body);
    expect(isReplay(second)).toBe(true);
    expect(second.headers.get('content-type')).toContain('application/json');
    expect(await eventsWithKey(key)).toBe(1);
    expect(await eventsInStream(walletId)).toBe(1 + 1 + 1);
    expect(await availableAfterTopUpOf1(walletId)).toBe('751');
  });

  it('the same body with keys in a different order or spacing counts as the same request', async () => {
    const walletId = await fundedWallet(app.baseUrl, '1000');
    const key = newKey();
    const first = await post(app.baseUrl, transactionsPath(walletId), '{"type":"debit","amount":"10"}', withKey(key));
    const second = await post(app.baseUrl, transactionsPath(walletId), '{ "amount": "10", "type": "debit" }', withKey(key));
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(isReplay(second)).toBe(true);
    expect(second.body).toEqual(first.body);
    expect(await eventsWithKey(key)).toBe(1);
  });

  it('10 identical requests at once with one key: exactly one applied, the others 409 IN_PROGRESS or a replay', async () => {
    const walletId = await fundedWallet(app.baseUrl, '1000');
    const key = newKey();
    const body = { type: 'debit', amount: '100' };

    const results = await Promise.all(Array.from({ length: 10 }, () => post(app.baseUrl, transactionsPath(walletId), body, withKey(key))));

    const applied = results.filter((r) => r.status === 201 && !isReplay(r));
    expect(applied).toHaveLength(1);
    for (const result of results.filter((r) => r !== applied[0])) {
      if (result.status === 409) {
        expect(result.body).toMatchObject({ status: 409, code: 'IDEMPOTENCY_KEY_IN_PROGRESS' });
        expect(isReplay(result)).toBe(false);
      } else {
        expect(result.status).toBe(201);
        expect(isReplay(result)).toBe(true);
        expect(result.body).toEqual(applied[0]!.body);
      }
    }
    expect(await eventsWithKey(key)).toBe(1);
    expect(await eventsInStream(walletId)).toBe(1 + 1 + 1);
    expect(await availableAfterTopUpOf1(walletId)).toBe('901');

    // Once the first has finished, every repeat is a replay.
    const later = await post(app.baseUrl, transactionsPath(walletId), body, withKey(key));
    expect(later.status).toBe(201);
    expect(isReplay(later)).toBe(true);
    expect(later.body).toEqual(applied[0]!.body);
  });

  it('the same key with a different body: 422 IDEMPOTENCY_KEY_REUSED, nothing appended', async () => {
    const walletId = await fundedWallet(app.baseUrl, '1000');
    const key = newKey();
    const first = await post(app.baseUrl, transactionsPath(walletId), { type: 'debit', amount: '100' }, withKey(key));
    expect(first.status).toBe(201);
    const before = await allEvents();

    const reused = await post(app.baseUrl, transactionsPath(walletId), { type: 'debit', amount: '101' }, withKey(key));

    expect(reused.status).toBe(422);
    expect(reused.headers.get('content-type')).toContain('application/problem+json');
    expect(reused.body).toMatchObject({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED', type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
    expect(isReplay(reused)).toBe(false);
    expect(await allEvents()).toBe(before);
    expect(await eventsWithKey(key)).toBe(1);
  });

  it('the same key and body on another route is a different request: 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const walletA = await fundedWallet(app.baseUrl, '1000');
    const walletB = await fundedWallet(app.baseUrl, '1000');
    const key = newKey();
    const body = { type: 'debit', amount: '5' };
    expect((await post(app.baseUrl, transactionsPath(walletA), body, withKey(key))).status).toBe(201);
    const before = await allEvents();

    const other = await post(app.baseUrl, transactionsPath(walletB), body, withKey(key));

    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await allEvents()).toBe(before);
  });

  it('replays after the app restarts (keys live in the database)', async () => {
    const walletId = await fundedWallet(app.baseUrl, '1000');
    const key = newKey();
    const body = { type: 'credit', amount: '40', pending: true };
    const first = await post(app.baseUrl, transactionsPath(walletId), body, withKey(key));
    expect(first.status).toBe(201);

    await app.restart();

    const again = await post(app.baseUrl, transactionsPath(walletId), body, withKey(key));
    expect(again.status).toBe(first.status);
    expect(again.body).toEqual(first.body);
    expect(isReplay(again)).toBe(true);
    expect(await eventsWithKey(key)).toBe(1);
    expect(await eventsInStream(walletId)).toBe(1 + 1 + 1);
  });

  it('a domain refusal is stored and replayed: INSUFFICIENT_FUNDS stays the answer even after the wallet is credited', async () => {
    const walletId = await fundedWallet(app.baseUrl, '100');
    const key = newKey();
    const body = { type: 'debit', amount: '150' };

    const refused = await post(app.baseUrl, transactionsPath(walletId), body, withKey(key));
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('INSUFFICIENT_FUNDS');
    expect(isReplay(refused)).toBe(false);

    const credit = await post(app.baseUrl, transactionsPath(walletId), { type: 'credit', amount: '100' });
    expect(credit.body.balance.available).toBe('200');
    const before = await eventsInStream(walletId);

    const repeated = await post(app.baseUrl, transactionsPath(walletId), body, withKey(key));
    expect(repeated.status).toBe(422);
    expect(repeated.headers.get('content-type')).toContain('application/problem+json');
    expect(repeated.body).toMatchObject({ status: 422, code: 'INSUFFICIENT_FUNDS', type: refused.body.type, title: refused.body.title, detail: refused.body.detail });
    expect(isReplay(repeated)).toBe(true);
    expect(await eventsInStream(walletId)).toBe(before);
    expect(await eventsWithKey(key)).toBe(0);
  });

  it('a replayed refusal has exactly the body of the first answer', async () => {
    const walletId = await fundedWallet(app.baseUrl, '100');
    const key = newKey();
    const body = { type: 'debit', amount: '150' };
    const refused = await post(app.baseUrl, transactionsPath(walletId), body, withKey(key));
    const repeated = await post(app.baseUrl, transactionsPath(walletId), body, withKey(key));
    expect(refused.status).toBe(422);
    expect(isReplay(repeated)).toBe(true);
    expect(repeated.body).toEqual(refused.body);
  });

  it('a refused confirm (TRANSACTION_NOT_PENDING) is replayed as well', async () => {
    const walletId = await fundedWallet(app.baseUrl, '100');
    const hold = await post(app.baseUrl, transactionsPath(walletId), { type: 'debit', amount: '10', pending: true });
    const confirmPath = `/v1/wallets/${walletId}/transactions/${hold.body.transaction.id}/confirm`;
    const key = newKey();

    const confirmed = await post(app.baseUrl, confirmPath, undefined, withKey(key));
    expect(confirmed.status).toBe(200);
    const replayed = await post(app.baseUrl, confirmPath, undefined, withKey(key));
    expect(replayed.status).toBe(200);
    expect(isReplay(replayed)).toBe(true);
    expect(replayed.body).toEqual(confirmed.body);

    const otherKey = newKey();
    const notPending = await post(app.baseUrl, confirmPath, undefined, withKey(otherKey));
    expect(notPending.status).toBe(409);
    expect(notPending.body.code).toBe('TRANSACTION_NOT_PENDING');
    const notPendingAgain = await post(app.baseUrl, confirmPath, undefined, withKey(otherKey));
    expect(notPendingAgain.status).toBe(409);
    expect(notPendingAgain.body.code).toBe('TRANSACTION_NOT_PENDING');
    expect(isReplay(notPendingAgain)).toBe(true);
    expect(await eventsWithKey(key)).toBe(1);
  });

  it('a validation failure (400) is not stored: the same key then works with a good body', async () => {
    const walletId = await fundedWallet(app.baseUrl, '1000');
    const key = newKey();
    const before = await eventsInStream(walletId);

    const bad = await post(app.baseUrl, transactionsPath(walletId), { type: 'debit', amount: '1.5' }, withKey(key));
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(await eventsInStream(walletId)).toBe(before);

    const good = await post(app.baseUrl, transactionsPath(walletId), { type: 'debit', amount: '15' }, withKey(key));
    expect(good.status).toBe(201);
    expect(isReplay(good)).toBe(false);
    expect(good.body.balance.available).toBe('985');
    expect(await eventsWithKey(key)).toBe(1);
  });

  it('an unknown wallet (404) is stored like any domain refusal and replayed', async () => {
    const key = newKey();
    const path = transactionsPath(randomUUID());
    const first = await post(app.baseUrl, path, { type: 'credit', amount: '1' }, withKey(key));
    const second = await post(app.baseUrl, path, { type: 'credit', amount: '1' }, withKey(key));
    expect(first.status).toBe(404);
    expect(first.body.code).toBe('WALLET_NOT_FOUND');
    expect(second.status).toBe(404);
    expect(second.body.code).toBe('WALLET_NOT_FOUND');
    expect(isReplay(second)).toBe(true);
  });

  describe('invalid keys: 400 VALIDATION_FAILED and nothing applied', () => {
    const invalidKeys: [string, string][] = [
      ['256 characters', 'k'.repeat(256)],
      ['a non-ASCII character', 'clé-1'],
      ['a tab (a control character HTTP itself allows in a header)', 'key\twith-tab'],
    ];

    it.each(invalidKeys)('a key with %s', async (_name, key) => {
      const walletId = await fundedWallet(app.baseUrl, '1000');
      const before = await allEvents();
      const result = await rawPost(app.baseUrl, transactionsPath(walletId), { type: 'debit', amount: '10' }, 'idempotency-key', key);
      expect(result.status).toBe(400);
      expect(result.contentType).toContain('application/problem+json');
      expect(result.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
      expect(await allEvents()).toBe(before);
    });

    it.each([
      ['0x01', 'key\x01'],
      ['DEL (0x7f)', 'key\x7f'],
    ])('a key with the control character %s is refused by the HTTP parser: 400, nothing applied', async (_name, key) => {
      const walletId = await fundedWallet(app.baseUrl, '1000');
      const before = await allEvents();
      const result = await rawPost(app.baseUrl, transactionsPath(walletId), { type: 'debit', amount: '10' }, 'idempotency-key', key);
      expect(result.status).toBe(400);
      expect(await allEvents()).toBe(before);
    });

    it('a key with a control character the HTTP parser refuses still gets a problem+json answer', async () => {
      const walletId = await fundedWallet(app.baseUrl, '1000');
      const result = await rawPost(app.baseUrl, transactionsPath(walletId), { type: 'debit', amount: '10' }, 'idempotency-key', 'key\x01');
      expect(result.status).toBe(400);
      expect(result.contentType).toContain('application/problem+json');
      expect(result.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    });

    it('accepts a key of exactly 255 printable characters, spaces and symbols included', async () => {
      const walletId = await fundedWallet(app.baseUrl, '1000');
      const key = `a b~!@#$%^&*()_+{}|:"<>?`.padEnd(255, 'x');
      const first = await post(app.baseUrl, transactionsPath(walletId), { type: 'debit', amount: '10' }, withKey(key));
      const second = await post(app.baseUrl, transactionsPath(walletId), { type: 'debit', amount: '10' }, withKey(key));
      expect(first.status).toBe(201);
      expect(isReplay(second)).toBe(true);
      expect(await eventsInStream(walletId)).toBe(1 + 1 + 1);
    });
  });

  describe('wallet creation (POST /v1/wallets)', () => {
    it('a replay returns the same wallet id and only one wallet stream exists', async () => {
      const key = newKey();
      const body = { type: 'savings', currency: 'EUR', owners: [{ ownerType: 'user', ownerRef: `u-${key}` }] };
      const streamsBefore = await count(`select count(*) from event_store.streams where stream like 'wallet-%'`);

      const first = await post(app.baseUrl, '/v1/wallets', body, withKey(key));
      const second = await post(app.baseUrl, '/v1/wallets', body, withKey(key));

      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(isReplay(second)).toBe(true);
      expect(second.body.id).toBe(first.body.id);
      expect(second.body).toEqual(first.body);
      expect(await count(`select count(*) from event_store.streams where stream like 'wallet-%'`)).toBe(streamsBefore + 1);
      expect(await count(`select count(*) from event_store.events where type = 'WalletOpened' and data->>'walletId' = $1`, [first.body.id])).toBe(1);
      expect(await eventsWithKey(key)).toBe(1);
    });

    it('10 concurrent creations with one key open exactly one wallet', async () => {
      const key = newKey();
      const body = { type: 'main', currency: 'USD' };
      const streamsBefore = await count(`select count(*) from event_store.streams`);

      const results = await Promise.all(Array.from({ length: 10 }, () => post(app.baseUrl, '/v1/wallets', body, withKey(key))));

      const applied = results.filter((r) => r.status === 201 && !isReplay(r));
      expect(applied).toHaveLength(1);
      for (const result of results.filter((r) => r !== applied[0])) {
        if (result.status === 409) expect(result.body.code).toBe('IDEMPOTENCY_KEY_IN_PROGRESS');
        else expect(result.body.id).toBe(applied[0]!.body.id);
      }
      expect(await count(`select count(*) from event_store.streams`)).toBe(streamsBefore + 1);
    });

    it('adding an owner with a key is replayed with the wallet as it was then', async () => {
      const opened = await post(app.baseUrl, '/v1/wallets', { type: 'main', currency: 'USD' });
      const key = newKey();
      const ownersPath = `/v1/wallets/${opened.body.id}/owners`;
      const first = await post(app.baseUrl, ownersPath, { ownerType: 'user', ownerRef: 'a' }, withKey(key));
      await post(app.baseUrl, ownersPath, { ownerType: 'user', ownerRef: 'b' });
      const again = await post(app.baseUrl, ownersPath, { ownerType: 'user', ownerRef: 'a' }, withKey(key));
      expect(first.status).toBe(201);
      expect(isReplay(again)).toBe(true);
      expect(again.body).toEqual(first.body);
      expect(again.body.owners).toHaveLength(1);
      expect(await eventsInStream(opened.body.id)).toBe(3);
    });
  });
});

/**
 * A POST written byte for byte on a socket (fetch and node:http refuse to send some header
 * values), its answer checked against the OpenAPI document as every helper's is.
 */
async function rawPost(baseUrl: string, path: string, body: unknown, headerName: string, headerValue: string): Promise<{ status: number; contentType: string; body: any }> {
  const headers: [string, string][] = [
    ['content-type', 'application/json'],
    ['authorization', `Bearer ${TEST_ADMIN_KEY}`],
    [headerName, headerValue],
  ];
  const result = await rawRequest(baseUrl, { method: 'POST', target: path, headers, body: JSON.stringify(body) });
  await assertDocumented(baseUrl, { method: 'POST', target: path, status: result.status, header: (name) => result.headers[name], text: result.text });
  return { status: result.status, contentType: result.headers['content-type'] ?? '', body: result.body };
}
