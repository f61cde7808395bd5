import { assertDocumented, fetchedHeader } from './support/contract';
import { issueKey, send } from './support/callers';
import { TEST_ADMIN_KEY, bearer, post } from './support/http';
import { READ_SIDE_ENV } from './support/read-model';
import { startTestApp, type TestApp } from './support/test-app';

/** The event stream's own resources with owner-scoped keys: slots, HEAD, and brand-new wallets. */
const alice = { ownerType: 'user', ownerRef: 'alice' };

describe('owner-scoped event streams', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: { ...READ_SIDE_ENV, FEED_STREAMS_MAX: '3', FEED_STREAMS_PER_KEY_MAX: '1' } });
  });
  afterAll(() => app.close());

  it('streams an owner key opens and drops free their slots: ten in a row all get 200, and so does the admin after them', async () => {
    const key = await issueKey(app.baseUrl, { name: 'alice', scopes: ['events:read', 'wallets:write'], owner: alice });
    await post(app.baseUrl, '/v1/wallets', { type: 'main', currency: 'USD' }, key.headers);
    // The server frees a slot once it sees the connection close, which on a loaded machine
    // can take longer than a client's next request: a 429 meanwhile is retried, boundedly.
    const openOnce = async (): Promise<number> => {
      const deadline = Date.now() + 5_000;
      for (;;) {
        const { status } = await send(app.baseUrl, 'GET', '/v1/events/stream', key.headers);
        if (status !== 429 || Date.now() > deadline) return status;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) statuses.push(await openOnce());
    expect(statuses).toEqual(Array(10).fill(200));
    expect((await send(app.baseUrl, 'GET', '/v1/events/stream', bearer(TEST_ADMIN_KEY))).status).toBe(200);
  });

  it('one key holds at most FEED_STREAMS_PER_KEY_MAX streams; other keys still get theirs', async () => {
    const greedy = await issueKey(app.baseUrl, { name: 'greedy', scopes: ['events:read'] });
    const other = await issueKey(app.baseUrl, { name: 'other', scopes: ['events:read'] });
    const held = new AbortController();
    const first = await fetch(`${app.baseUrl}/v1/events/stream`, { headers: greedy.headers, signal: held.signal });
    try {
      // Its body is the stream this slot holds: the status and headers are checked against the document.
      await assertDocumented(app.baseUrl, { method: 'GET', target: '/v1/events/stream', status: first.status, header: fetchedHeader(first.headers), text: undefined });
      expect(first.status).toBe(200);
      const second = await send(app.baseUrl, 'GET', '/v1/events/stream', greedy.headers);
      expect([second.status, second.body.code, second.headers.get('retry-after')]).toEqual([429, 'RATE_LIMITED', '5']);
      expect((await send(app.baseUrl, 'GET', '/v1/events/stream', other.headers)).status).toBe(200);
    } finally {
      held.abort();
    }
  });

  it('HEAD on the stream answers its headers at once and holds no slot', async () => {
    const key = await issueKey(app.baseUrl, { name: 'reader', scopes: ['events:read'] });
    const answers = await Promise.all(Array.from({ length: 5 }, () => send(app.baseUrl, 'HEAD', '/v1/events/stream', key.headers)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(5).fill(200));
    expect(answers[0]!.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect((await send(app.baseUrl, 'GET', '/v1/events/stream', key.headers)).status).toBe(200);
  });

});

describe('owner-scoped event streams, the projector stopped', () => {
  let app: TestApp;

  beforeAll(async () => {
    // An owner's wallet filter must not depend on the read model.
    app = await startTestApp({ env: { PROJECTOR_IN_PROCESS: 'false', READ_MODEL_WAIT_MS: '200' } });
  });
  afterAll(() => app.close());

  it("a wallet an owner key just opened can be followed by id at once, before the read model has it; another owner's cannot", async () => {
    const key = await issueKey(app.baseUrl, { name: 'alice 2', scopes: ['events:read', 'wallets:write'], owner: alice });
    const bob = await issueKey(app.baseUrl, { name: 'bob', scopes: ['events:read'], owner: { ownerType: 'user', ownerRef: 'bob' } });
    const opened = await post(app.baseUrl, '/v1/wallets', { type: 'main', currency: 'USD' }, key.headers);
    await post(app.baseUrl, `/v1/wallets/${opened.body.id}/transactions`, { type: 'credit', amount: '5' });
    const own = await send(app.baseUrl, 'GET', `/v1/events/stream?walletId=${opened.body.id}`, key.headers);
    expect(own.status).toBe(200);
    const foreign = await send(app.baseUrl, 'GET', `/v1/events?walletId=${opened.body.id}`, bob.headers);
    expect([foreign.status, foreign.body.code]).toEqual([404, 'WALLET_NOT_FOUND']);
  });
});
