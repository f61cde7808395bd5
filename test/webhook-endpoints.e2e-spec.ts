import { Webhook } from 'standardwebhooks';
import { issueKey } from './support/callers';
import { eventually } from './support/eventually';
import { type HttpResult, get, post } from './support/http';
import { READ_SIDE_ENV, logHead } from './support/read-model';
import { type TestApp, startTestApp } from './support/test-app';
import { untilFeedShowsLog } from './support/webhook-load';
import { type WebhookReceiver, startWebhookReceiver } from './support/webhook-receiver';

/**
 * The webhook endpoint routes over real HTTP, and what they change in delivery: batches go to
 * a real receiver on 127.0.0.1 that checks every signature with the standardwebhooks package.
 */

/** Private addresses allowed (the receiver is on 127.0.0.1), and delivery fast enough for a spec. */
const WEBHOOK_ENV = {
  ...READ_SIDE_ENV,
  WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  WEBHOOK_POLL_MS: '20',
  WEBHOOK_RETRY_BASE_MS: '20',
  WEBHOOK_RETRY_MAX_MS: '200',
  WEBHOOK_TIMEOUT_MS: '500',
  WEBHOOK_LEASE_MS: '1000',
};

const SECRET = /^whsec_[A-Za-z0-9+/]+={0,2}$/;
const alice = { ownerType: 'user', ownerRef: 'alice-hooks' };
const bob = { ownerType: 'user', ownerRef: 'bob-hooks' };

interface FeedItem {
  position: string;
  streamId: string;
  type: string;
}

async function endpointCount(app: TestApp): Promise<number> {
  const { rows } = await app.database.pool.query<{ count: string }>('select count(*) from webhooks.endpoints');
  return Number(rows[0]!.count);
}

async function openWallet(app: TestApp, owners: object[] = []): Promise<string> {
  const opened = await post(app.baseUrl, '/v1/wallets', { type: 'main', currency: 'USD', owners });
  if (opened.status !== 201) throw new Error(`open failed: ${opened.status}`);
  return opened.body.id as string;
}

async function credit(app: TestApp, walletId: string, amount = '10'): Promise<bigint> {
  const credited = await post(app.baseUrl, `/v1/wallets/${walletId}/transactions`, { type: 'credit', amount });
  if (credited.status !== 201) throw new Error(`credit failed: ${credited.status}`);
  return BigInt(credited.body.position);
}

/** The positions the receiver got for one endpoint, in arrival order, from batches answered 2xx. */
const deliveredPositions = (receiver: WebhookReceiver, endpointId: string): bigint[] => receiver.delivered(endpointId).flatMap((batch) => batch.positions);

/** Waits (boundedly) until the endpoint's cursor has reached `position`, and answers its view. */
async function deliveredThrough(app: TestApp, endpointId: string, position: bigint): Promise<HttpResult> {
  return eventually(
    () => get(app.baseUrl, `/v1/webhook-endpoints/${endpointId}`),
    (view) => view.status === 200 && BigInt(view.body.deliveredThrough) >= position,
  );
}

describe('webhook endpoints over HTTP', () => {
  let app: TestApp;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    app = await startTestApp({ env: WEBHOOK_ENV });
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await app?.close();
  });

  /**
   * Waits until the feed shows every event written so far. An endpoint created without `after`
   * starts at the newest position the feed shows, which trails the log while any transaction
   * of the server (another spec's too) is still running.
   */
  const feedCaughtUp = (): Promise<void> => untilFeedShowsLog(app.baseUrl, app.database.pool);

  /** Creates an endpoint at the receiver, starting after everything written so far, and trusts its secret there. */
  async function endpointAtReceiver(at: WebhookReceiver, body: object = {}, headers?: Record<string, string>): Promise<{ id: string; secret: string; after: string }> {
    await feedCaughtUp();
    const created = await post(app.baseUrl, '/v1/webhook-endpoints', { url: at.url, ...body }, headers);
    if (created.status !== 201) throw new Error(`endpoint creation failed: ${created.status} ${JSON.stringify(created.body)}`);
    at.trust(created.body.id, [created.body.secret]);
    return created.body;
  }

  describe('create, get, list', () => {
    it('answers 201 with the secret once (whsec_ + 32 bytes of base64), delivering from the head by default; get and list never show it', async () => {
      const walletId = await openWallet(app);
      await credit(app, walletId);
      await feedCaughtUp();
      const headBefore = await logHead(app);
      const created = await post(app.baseUrl, '/v1/webhook-endpoints', { url: receiver.url, types: ['FundsCredited'], walletId, description: 'ledger sync' });
      const headAfter = await logHead(app);
      expect(created.status).toBe(201);
      expect(created.headers.get('cache-control')).toBe('no-store');
      expect(Object.keys(created.body).sort()).toEqual(['after', 'createdAt', 'description', 'id', 'secret', 'status', 'types', 'url', 'walletId']);
      expect(created.body).toMatchObject({ url: receiver.url, types: ['FundsCredited'], walletId, description: 'ledger sync', status: 'enabled' });
      expect(created.body.secret).toMatch(SECRET);
      expect(Buffer.from(created.body.secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
      expect(BigInt(created.body.after)).toBeGreaterThanOrEqual(headBefore);
      expect(BigInt(created.body.after)).toBeLessThanOrEqual(headAfter);

      const fetched = await get(app.baseUrl, `/v1/webhook-endpoints/${created.body.id}`);
      expect(fetched.status).toBe(200);
      expect(fetched.body).not.toHaveProperty('secret');
      expect(fetched.body).toMatchObject({ id: created.body.id, after: created.body.after, deliveredThrough: created.body.after, lagEvents: '0', lastError: null, owner: null });
      const listed = await get(app.baseUrl, '/v1/webhook-endpoints?limit=500');
      const entry = listed.body.items.find((item: { id: string }) => item.id === created.body.id);
      expect(entry).toBeDefined();
      expect(entry).not.toHaveProperty('secret');
      expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);
    });

    it('keeps an explicit after, also one beyond the head (delivery starts once the log passes it)', async () => {
      const head = await logHead(app);
      const beyond = (head + 1000n).toString();
      const created = await post(app.baseUrl, '/v1/webhook-endpoints', { url: receiver.url, after: beyond });
      expect([created.status, created.body.after]).toEqual([201, beyond]);
      const fetched = await get(app.baseUrl, `/v1/webhook-endpoints/${created.body.id}`);
      expect(fetched.body).toMatchObject({ deliveredThrough: beyond, lagEvents: '0' });
      await post(app.baseUrl, `/v1/webhook-endpoints/${created.body.id}/disable`);
    });

    it.each([
      ['no url', {}],
      ['a url over 2048 characters', { url: `https://example.com/${'a'.repeat(2030)}` }],
      ['a url with a NUL character', { url: 'https://example.com/h\u0000' }],
      ['a url with an unpaired surrogate', { url: 'https://example.com/h\ud800' }],
      ['an unknown event type', { url: 'https://example.com/h', types: ['FundsStolen'] }],
      ['an empty type list', { url: 'https://example.com/h', types: [] }],
      ['a repeated type', { url: 'https://example.com/h', types: ['FundsCredited', 'FundsCredited'] }],
      ['a walletId that is no uuid', { url: 'https://example.com/h', walletId: 'wallet-1' }],
      ['a description over 500 characters', { url: 'https://example.com/h', description: 'd'.repeat(501) }],
      ['a negative after', { url: 'https://example.com/h', after: '-1' }],
      ['an after with a leading zero', { url: 'https://example.com/h', after: '01' }],
      ['an after as a number', { url: 'https://example.com/h', after: 5 }],
      ['an unknown field', { url: 'https://example.com/h', secret: 'whsec_AAAA' }],
    ])('refuses %s with 400 VALIDATION_FAILED and creates nothing', async (_name, body) => {
      const before = await endpointCount(app);
      const answer = await post(app.baseUrl, '/v1/webhook-endpoints', body);
      expect([answer.status, answer.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(await endpointCount(app)).toBe(before);
    });

    it('refuses an unknown walletId with 404 WALLET_NOT_FOUND and creates nothing', async () => {
      const before = await endpointCount(app);
      const unknown = await post(app.baseUrl, '/v1/webhook-endpoints', { url: receiver.url, walletId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b' });
      expect([unknown.status, unknown.body.code]).toEqual([404, 'WALLET_NOT_FOUND']);
      expect(await endpointCount(app)).toBe(before);
    });

    it('creates once under one Idempotency-Key: a repeat gets the stored answer (same id and secret), another body 422', async () => {
      const before = await endpointCount(app);
      const key = { 'idempotency-key': `hook-${Date.now()}` };
      const first = await post(app.baseUrl, '/v1/webhook-endpoints', { url: receiver.url, description: 'once' }, key);
      const again = await post(app.baseUrl, '/v1/webhook-endpoints', { url: receiver.url, description: 'once' }, key);
      expect(first.status).toBe(201);
      expect([again.status, again.headers.get('idempotency-replayed')]).toEqual([201, 'true']);
      expect([again.body.id, again.body.secret]).toEqual([first.body.id, first.body.secret]);
      const reused = await post(app.baseUrl, '/v1/webhook-endpoints', { url: receiver.url, description: 'twice' }, key);
      expect([reused.status, reused.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
      expect(await endpointCount(app)).toBe(before + 1);
    });

    it('replays a cursor move once under one Idempotency-Key: a repeat answers as the first did and moves nothing', async () => {
      const { id } = (await post(app.baseUrl, '/v1/webhook-endpoints', { url: receiver.url, after: '1000000' })).body as { id: string };
      const key = { 'idempotency-key': `replay-${Date.now()}` };
      const first = await post(app.baseUrl, `/v1/webhook-endpoints/${id}/replay`, { after: '999999' }, key);
      expect([first.status, first.body.deliveredThrough]).toEqual([200, '999999']);
      expect((await post(app.baseUrl, `/v1/webhook-endpoints/${id}/replay`, { after: '1000005' })).body.deliveredThrough).toBe('1000005');
      const again = await post(app.baseUrl, `/v1/webhook-endpoints/${id}/replay`, { after: '999999' }, key);
      expect([again.status, again.headers.get('idempotency-replayed'), again.body.deliveredThrough]).toEqual([200, 'true', '999999']);
      expect((await get(app.baseUrl, `/v1/webhook-endpoints/${id}`)).body.deliveredThrough).toBe('1000005');
    });

    it('answers 404 WEBHOOK_ENDPOINT_NOT_FOUND for an unknown id and a malformed one, on every route', async () => {
      for (const id of ['0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', 'not-an-id']) {
        const answers = await Promise.all([
          get(app.baseUrl, `/v1/webhook-endpoints/${id}`),
          get(app.baseUrl, `/v1/webhook-endpoints/${id}/deliveries`),
          post(app.baseUrl, `/v1/webhook-endpoints/${id}/disable`),
          post(app.baseUrl, `/v1/webhook-endpoints/${id}/enable`),
          post(app.baseUrl, `/v1/webhook-endpoints/${id}/replay`, { after: '0' }),
          post(app.baseUrl, `/v1/webhook-endpoints/${id}/rotate-secret`),
        ]);
        expect(answers.map((answer) => [answer.status, answer.body.code])).toEqual(Array(6).fill([404, 'WEBHOOK_ENDPOINT_NOT_FOUND']));
      }
    });

    it('lists in pages of `limit` with an opaque cursor, each endpoint once', async () => {
      const made: string[] = [];
      for (let i = 0; i < 5; i += 1) made.push((await post(app.baseUrl, '/v1/webhook-endpoints', { url: receiver.url, description: `page ${i}` })).body.id);
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 50; page += 1) {
        const answer: HttpResult = await get(app.baseUrl, `/v1/webhook-endpoints?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(answer.status).toBe(200);
        expect(answer.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...answer.body.items.map((item: { id: string }) => item.id));
        cursor = answer.body.nextCursor;
        if (cursor === null) break;
      }
      expect(cursor).toBeNull();
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(expect.arrayContaining(made));
      expect(seen.slice(-5)).toEqual(made);
      const bad = await get(app.baseUrl, '/v1/webhook-endpoints?cursor=bm90LWEtY3Vyc29y');
      expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      for (const id of made) await post(app.baseUrl, `/v1/webhook-endpoints/${id}/disable`);
    });
  });

  describe('delivery through the API', () => {
    it('a failing receiver shows in the view: deliveredThrough stays, lagEvents counts up to the head, lastError and the attempts say why', async () => {
      const failing = await startWebhookReceiver();
      try {
        failing.answerWith(() => 'fail');
        const walletId = await openWallet(app);
        await credit(app, walletId);
        const endpoint = await endpointAtReceiver(failing, { after: '0' });
        const view = await eventually(
          () => get(app.baseUrl, `/v1/webhook-endpoints/${endpoint.id}`),
          (answer) => answer.body.lastError !== null && BigInt(answer.body.failuresTotal) >= 3n,
        );
        const head = await logHead(app);
        expect(view.body).toMatchObject({ status: 'enabled', deliveredThrough: '0', lagEvents: head.toString() });
        expect(view.body.lastError).toContain('500');
        expect(view.body.failingSince).not.toBeNull();
        const attempts = await get(app.baseUrl, `/v1/webhook-endpoints/${endpoint.id}/deliveries?limit=2`);
        expect(attempts.status).toBe(200);
        expect(attempts.body.items).toHaveLength(2);
        expect(attempts.body.nextCursor).not.toBeNull();
        // Newest first: the later attempt of the same batch comes first.
        const [newer, older] = attempts.body.items;
        const firstEvent = (await get(app.baseUrl, '/v1/events?limit=1')).body.items[0].position;
        expect(newer).toMatchObject({ statusCode: 500, firstPosition: firstEvent, webhookId: older.webhookId });
        expect(newer.attempt).toBeGreaterThan(older.attempt);
        expect(typeof newer.error).toBe('string');
        const next = await get(app.baseUrl, `/v1/webhook-endpoints/${endpoint.id}/deliveries?limit=2&cursor=${attempts.body.nextCursor}`);
        expect(next.body.items.every((item: { id: string }) => BigInt(item.id) < BigInt(older.id))).toBe(true);

        // Once the receiver answers, the batch goes through and the view clears.
        failing.answerWith(() => 'ok');
        const healed = await deliveredThrough(app, endpoint.id, head);
        expect(healed.body).toMatchObject({ lastError: null, failingSince: null, lagEvents: '0' });
        const latest = await get(app.baseUrl, `/v1/webhook-endpoints/${endpoint.id}/deliveries?limit=1`);
        expect(latest.body.items[0]).toMatchObject({ statusCode: 204, error: null });
        await post(app.baseUrl, `/v1/webhook-endpoints/${endpoint.id}/disable`);
      } finally {
        await failing.close();
      }
    });

    it('disable stops delivery with the cursor kept; enable resumes from it without losing an event', async () => {
      const own = await startWebhookReceiver();
      try {
        const walletId = await openWallet(app);
        const endpoint = await endpointAtReceiver(own, { walletId });
        const first = await credit(app, walletId);
        await deliveredThrough(app, endpoint.id, first);

        const disabled = await post(app.baseUrl, `/v1/webhook-endpoints/${endpoint.id}/disable`);
        expect(disabled.status).toBe(200);
        expect(disabled.body).toMatchObject({ status: 'disabled', disabledReason: expect.any(String) });
        const cursor = disabled.body.deliveredThrough;
        const whileOff = [await credit(app, walletId), await credit(app, walletId)];
        // Ten delivery polls and more: nothing may arrive while it is disabled.
        await new Promise((resolve) => setTimeout(resolve, 400));
        expect(deliveredPositions(own, endpoint.id)).toEqual([first]);
        const still = await get(app.baseUrl, `/v1/webhook-endpoints/${endpoint.id}`);
        expect(still.body).toMatchObject({ status: 'disabled', deliveredThrough: cursor });
        expect(BigInt(still.body.lagEvents)).toBeGreaterThanOrEqual(2n);

        const enabled = await post(app.baseUrl, `/v1/webhook-endpoints/${endpoint.id}/enable`);
        expect(enabled.body).toMatchObject({ status: 'enabled', disabledReason: null });
        await deliveredThrough(app, endpoint.id, whileOff[1]!);
        expect(deliveredPositions(own, endpoint.id)).toEqual([first, ...whileOff]);
        expect(own.delivered(endpoint.id).every((batch) => batch.signatureValid)).toBe(true);
        await post(app.baseUrl, `/v1/webhook-endpoints/${endpoint.id}/disable`);
      } finally {
        await own.close();
      }
    });

    it('replay moves the cursor back: the events after `after` are delivered again, in order', async () => {
      const own = await startWebhookReceiver();
      try {
        const walletId = await openWallet(app);
        const endpoint = await endpointAtReceiver(own, { walletId });
        const positions = [await credit(app, walletId), await credit(app, walletId), await credit(app, walletId)];
        await deliveredThrough(app, endpoint.id, positions[2]!);
        expect(deliveredPositions(own, endpoint.id)).toEqual(positions);

        const replayed = await post(app.baseUrl, `/v1/webhook-endpoints/${endpoint.id}/replay`, { after: positions[0]!.toString() });
        expect(replayed.status).toBe(200);
        expect(replayed.body.deliveredThrough).toBe(positions[0]!.toString());
        const again = await eventually(
          async () => deliveredPositions(own, endpoint.id),
          (seen) => seen.length >= 5,
        );
        expect(again).toEqual([...positions, positions[1], positions[2]]);
        const bad = await post(app.baseUrl, `/v1/webhook-endpoints/${endpoint.id}/replay`, { after: 'yesterday' });
        expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
        const missing = await post(app.baseUrl, `/v1/webhook-endpoints/${endpoint.id}/replay`, {});
        expect([missing.status, missing.body.code]).toEqual([400, 'VALIDATION_FAILED']);
        await post(app.baseUrl, `/v1/webhook-endpoints/${endpoint.id}/disable`);
      } finally {
        await own.close();
      }
    });

    it('rotate-secret shows the new secret once; the next deliveries are signed so that the old and the new secret each verify, also after a second rotation', async () => {
      const own = await startWebhookReceiver();
      try {
        const walletId = await openWallet(app);
        const endpoint = await endpointAtReceiver(own, { walletId });
        const before = await credit(app, walletId);
        await deliveredThrough(app, endpoint.id, before);

        const rotated = await post(app.baseUrl, `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`);
        expect(rotated.status).toBe(200);
        expect(rotated.headers.get('cache-control')).toBe('no-store');
        expect(rotated.body.secret).toMatch(SECRET);
        expect(rotated.body.secret).not.toBe(endpoint.secret);
        expect(rotated.body.id).toBe(endpoint.id);
        expect(await get(app.baseUrl, `/v1/webhook-endpoints/${endpoint.id}`).then((view) => view.body)).not.toHaveProperty('secret');

        // The receiver now demands that every one of both secrets verifies each request.
        own.trust(endpoint.id, [endpoint.secret, rotated.body.secret]);
        const after = await credit(app, walletId);
        await deliveredThrough(app, endpoint.id, after);
        const batch = own.delivered(endpoint.id).find((candidate) => candidate.positions.includes(after))!;
        expect(batch.signatureValid).toBe(true);
        expect(() => new Webhook(rotated.body.secret)).not.toThrow();

        // Rotated again within the day: the first secret still signs too, beside both later ones.
        const third = (await post(app.baseUrl, `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`)).body.secret as string;
        own.trust(endpoint.id, [endpoint.secret, rotated.body.secret, third]);
        const last = await credit(app, walletId);
        await deliveredThrough(app, endpoint.id, last);
        const signed = own.delivered(endpoint.id).find((candidate) => candidate.positions.includes(last))!;
        expect(signed.signatureValid).toBe(true);
        await post(app.baseUrl, `/v1/webhook-endpoints/${endpoint.id}/disable`);
      } finally {
        await own.close();
      }
    });
  });

  describe('scopes and owner-bound keys', () => {
    it('needs webhooks:manage: 403 for a key without it, 201 for admin and for a webhooks:manage key', async () => {
      const reader = await issueKey(app.baseUrl, { name: 'reader', scopes: ['wallets:read', 'wallets:write', 'events:read'] });
      const manager = await issueKey(app.baseUrl, { name: 'manager', scopes: ['webhooks:manage'] });
      const admin = await issueKey(app.baseUrl, { name: 'second admin', scopes: ['admin'] });
      const before = await endpointCount(app);
      const refused = await post(app.baseUrl, '/v1/webhook-endpoints', { url: receiver.url }, reader.headers);
      expect([refused.status, refused.body.code]).toEqual([403, 'FORBIDDEN']);
      expect((await get(app.baseUrl, '/v1/webhook-endpoints', reader.headers)).status).toBe(403);
      expect(await endpointCount(app)).toBe(before);
      const byManager = await post(app.baseUrl, '/v1/webhook-endpoints', { url: receiver.url }, manager.headers);
      const byAdmin = await post(app.baseUrl, '/v1/webhook-endpoints', { url: receiver.url }, admin.headers);
      expect([byManager.status, byAdmin.status]).toEqual([201, 201]);
      // Neither key is bound to an owner: each sees every endpoint.
      const listed = await get(app.baseUrl, '/v1/webhook-endpoints?limit=500', manager.headers);
      expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual(expect.arrayContaining([byManager.body.id, byAdmin.body.id]));
      for (const id of [byManager.body.id, byAdmin.body.id]) await post(app.baseUrl, `/v1/webhook-endpoints/${id}/disable`);
    });

    it("an owner-bound key makes endpoints of its owner, sees and changes only those, and names only its owner's wallets", async () => {
      const aliceKey = await issueKey(app.baseUrl, { name: 'alice hooks', scopes: ['webhooks:manage'], owner: alice });
      const bobKey = await issueKey(app.baseUrl, { name: 'bob hooks', scopes: ['webhooks:manage'], owner: bob });
      const aliceWallet = await openWallet(app, [alice]);
      const mine = await post(app.baseUrl, '/v1/webhook-endpoints', { url: receiver.url, walletId: aliceWallet }, aliceKey.headers);
      expect(mine.status).toBe(201);
      const admins = await post(app.baseUrl, '/v1/webhook-endpoints', { url: receiver.url });
      expect((await get(app.baseUrl, `/v1/webhook-endpoints/${mine.body.id}`, aliceKey.headers)).body.owner).toEqual(alice);

      const listed = await get(app.baseUrl, '/v1/webhook-endpoints?limit=500', aliceKey.headers);
      expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([mine.body.id]);
      expect((await get(app.baseUrl, '/v1/webhook-endpoints?limit=500', bobKey.headers)).body.items).toEqual([]);
      const adminList = await get(app.baseUrl, '/v1/webhook-endpoints?limit=500');
      expect(adminList.body.items.map((item: { id: string }) => item.id)).toEqual(expect.arrayContaining([mine.body.id, admins.body.id]));

      const foreign = await Promise.all([
        get(app.baseUrl, `/v1/webhook-endpoints/${mine.body.id}`, bobKey.headers),
        get(app.baseUrl, `/v1/webhook-endpoints/${mine.body.id}/deliveries`, bobKey.headers),
        post(app.baseUrl, `/v1/webhook-endpoints/${mine.body.id}/disable`, undefined, bobKey.headers),
        post(app.baseUrl, `/v1/webhook-endpoints/${mine.body.id}/replay`, { after: '0' }, bobKey.headers),
        post(app.baseUrl, `/v1/webhook-endpoints/${mine.body.id}/rotate-secret`, undefined, bobKey.headers),
        get(app.baseUrl, `/v1/webhook-endpoints/${admins.body.id}`, aliceKey.headers),
      ]);
      expect(foreign.map((answer) => [answer.status, answer.body.code])).toEqual(Array(6).fill([404, 'WEBHOOK_ENDPOINT_NOT_FOUND']));
      const untouched = await get(app.baseUrl, `/v1/webhook-endpoints/${mine.body.id}`);
      expect(untouched.body).toMatchObject({ status: 'enabled', deliveredThrough: mine.body.after });

      const before = await endpointCount(app);
      const otherWallet = await post(app.baseUrl, '/v1/webhook-endpoints', { url: receiver.url, walletId: aliceWallet }, bobKey.headers);
      expect([otherWallet.status, otherWallet.body.code]).toEqual([404, 'WALLET_NOT_FOUND']);
      expect(await endpointCount(app)).toBe(before);
      for (const id of [mine.body.id, admins.body.id]) await post(app.baseUrl, `/v1/webhook-endpoints/${id}/disable`);
    });

    it("an owner-bound endpoint receives exactly its owner's feed, as GET /v1/events shows it to the owner's key", async () => {
      const own = await startWebhookReceiver();
      try {
        const aliceKey = await issueKey(app.baseUrl, { name: 'alice feed', scopes: ['webhooks:manage', 'events:read'], owner: alice });
        const endpoint = await endpointAtReceiver(own, {}, aliceKey.headers);
        const aliceWallet = await openWallet(app, [alice]);
        const bobWallet = await openWallet(app, [bob]);
        await credit(app, aliceWallet, '100');
        await credit(app, bobWallet, '100');
        // A transfer between owners: its group stream is left out, each owner's own leg is not.
        const transfer = await post(app.baseUrl, '/v1/transfers', { fromWalletId: aliceWallet, toWalletId: bobWallet, amount: '7' });
        expect(transfer.status).toBe(201);
        const last = await credit(app, bobWallet, '5');
        await deliveredThrough(app, endpoint.id, last);

        const feed = await get(app.baseUrl, `/v1/events?after=${endpoint.after}&limit=500`, aliceKey.headers);
        expect(feed.status).toBe(200);
        const expected = (feed.body.items as FeedItem[]).filter((item) => BigInt(item.position) <= last);
        expect(expected.length).toBeGreaterThanOrEqual(3);
        expect(expected.every((item) => item.streamId === `wallet-${aliceWallet}`)).toBe(true);
        const got = own.delivered(endpoint.id).flatMap((batch) => batch.items);
        expect(got).toEqual(expected);
        expect(own.delivered(endpoint.id).every((batch) => batch.signatureValid)).toBe(true);
        await post(app.baseUrl, `/v1/webhook-endpoints/${endpoint.id}/disable`);
      } finally {
        await own.close();
      }
    });
  });
});

describe('webhook endpoint URLs the service will not call', () => {
  let app: TestApp;

  beforeAll(async () => {
    // The operator's default: only https to public addresses.
    app = await startTestApp();
  });
  afterAll(async () => app?.close());

  it.each([
    ['ftp://', 'ftp://example.com/hooks'],
    ['http:// while private URLs are not allowed', 'http://example.com/hooks'],
    ['a loopback address', 'https://127.0.0.1/hooks'],
    ['a private address', 'https://10.0.0.1/hooks'],
    ['the link-local metadata address', 'https://169.254.169.254/latest/meta-data'],
    ['IPv6 loopback', 'https://[::1]/hooks'],
    ['a name that resolves to loopback', 'https://localhost/hooks'],
    ['credentials in the URL', 'https://user:secret@example.com/hooks'],
    ['a URL that does not parse', 'not a url'],
  ])('refuses %s with 422 WEBHOOK_URL_REFUSED, the reason in detail, and creates nothing', async (_name, url) => {
    const answer = await post(app.baseUrl, '/v1/webhook-endpoints', { url });
    expect([answer.status, answer.body.code]).toEqual([422, 'WEBHOOK_URL_REFUSED']);
    expect(answer.body.detail).toMatch(/^The service will not call this URL: .+/);
    expect(await endpointCount(app)).toBe(0);
  });

  it('names why: the scheme, the address, or what the name resolves to', async () => {
    const details = await Promise.all(
      ['http://example.com/hooks', 'https://10.0.0.1/hooks', 'https://localhost/hooks', 'https://user:secret@example.com/hooks'].map(
        async (url) => (await post(app.baseUrl, '/v1/webhook-endpoints', { url })).body.detail as string,
      ),
    );
    expect(details[0]).toContain('must use https');
    expect(details[1]).toContain('10.0.0.1 is not a public address');
    expect(details[2]).toMatch(/localhost resolves to an address that is not public/);
    expect(details[3]).toContain('credentials');
    expect(await endpointCount(app)).toBe(0);
  });
});
