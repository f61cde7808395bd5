import { WebhookEndpointStore } from '@wallet/webhooks';
import { eventually } from './support/eventually';
import { fundedWallet, post } from './support/http';
import { startTestApp, type TestApp } from './support/test-app';
import {
  bounceReceiver,
  checkEndpointDeliveries,
  failedWebhookIds,
  feedItems,
  flakyAnswers,
  feedHead,
  overlappingAttempts,
  runWebhookWriters,
  seededRandom,
  specSeed,
  untilDelivered,
  untilFeedShowsLog,
} from './support/webhook-load';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver';

const TIMEOUT_MS = 300;

/**
 * Webhook delivery in the API's own process under load, to a receiver that fails at random
 * (500, no answer, a reset connection) and goes away now and then: every event after the
 * endpoint's start arrives, in order, signed, duplicated only where a batch had failed.
 */
describe('webhook delivery to a flaky receiver under concurrent writes', () => {
  let app: TestApp;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    app = await startTestApp({
      env: {
        WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
        WEBHOOK_POLL_MS: '20',
        WEBHOOK_RETRY_BASE_MS: '20',
        WEBHOOK_RETRY_MAX_MS: '200',
        WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
        WEBHOOK_LEASE_MS: '1000',
      },
    });
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await app?.close();
    await receiver?.close();
  });

  it('delivers every event after the start, in order, at least once, and each filter exactly its events', async () => {
    const seed = specSeed();
    console.log(`webhook delivery seed ${seed} (WEBHOOK_SPEC_SEED=${seed} repeats it)`);
    const random = seededRandom(seed);
    const walletIds = [];
    for (let i = 0; i < 4; i += 1) walletIds.push(await fundedWallet(app.baseUrl, '100000'));
    const after = await feedHead(app.baseUrl);

    const endpoints = new WebhookEndpointStore(app.database.pool);
    const create = async (types: string[] | null, walletId: string | null) => {
      const { endpoint, secret } = await endpoints.create({ url: receiver.url, types, walletId, description: null, owner: null, after });
      receiver.trust(endpoint.id, [secret]);
      return endpoint.id;
    };
    const all = await create(null, null);
    const byType = await create(['FundsCredited', 'HoldPlaced'], null);
    const byWallet = await create(null, walletIds[0]!);
    receiver.answerWith(flakyAnswers(random));

    const started = Date.now();
    let writing = true;
    const bouncing = bounceReceiver(receiver, random, 3, () => writing);
    const accepted = await runWebhookWriters({ baseUrl: () => app.baseUrl, walletIds, writers: 16, writesPerWriter: 30 });
    writing = false;
    const bounced = await bouncing;
    const writtenMs = Date.now() - started;

    await untilFeedShowsLog(app.baseUrl, app.database.pool);
    const expected = new Map([
      [all, await feedItems(app.baseUrl, after)],
      [byType, await feedItems(app.baseUrl, after, 'types=FundsCredited,HoldPlaced')],
      [byWallet, await feedItems(app.baseUrl, after, `walletId=${walletIds[0]}`)],
    ]);
    const caughtUpMs = await untilDelivered(receiver, expected, 20_000);
    const failed = await failedWebhookIds(app.database.pool);

    const checks = [...expected.keys()].map((id) => checkEndpointDeliveries(receiver, id, failed));
    console.log(
      `${accepted} commands in ${writtenMs} ms; receiver bounced ${bounced} times; caught up ${caughtUpMs} ms after the writes; ` +
        `events: ${[...expected.values()].map((items) => items.length).join('/')}; ` +
        `requests: ${checks.map((check) => check.requests).join('/')}; duplicate 2xx: ${checks.map((check) => check.duplicateDeliveries).join('/')}; ` +
        `answers: ${JSON.stringify(countAnswers(receiver))}`,
    );
    expect(expected.get(all)!.length).toBeGreaterThan(200);
    expect(expected.get(byType)!.length).toBeGreaterThan(0);
    expect(expected.get(byWallet)!.length).toBeGreaterThan(0);
    for (const [index, [, items]] of [...expected].entries()) {
      const check = checks[index]!;
      // The items as the feed serves them: every event once, in position order, nothing else.
      expect(check.items).toEqual(items);
      expect(check).toMatchObject({ unexplainedDuplicates: [], positionsInTwoBatches: [], changedBodies: [], outOfOrder: [], invalidSignatures: 0 });
    }
    expect(receiver.overlaps).toEqual([]);
    expect(await overlappingAttempts(app.database.pool)).toEqual([]);
    // Batch ids as the contract writes them: msg_ and a UUIDv7.
    expect(receiver.received.filter((batch) => !/^msg_[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(batch.webhookId))).toEqual([]);
    // The receiver did fail: the run proved something about retries.
    expect(receiver.received.filter((batch) => batch.answer !== 'ok').length).toBeGreaterThan(5);
    // Every cursor comes to the log's head: the type filter's and the wallet's past the events they passed over.
    const head = await feedHead(app.baseUrl);
    const cursors = await eventually(
      () => Promise.all([all, byType, byWallet].map(async (id) => (await endpoints.get(id, undefined))!.deliveredThrough)),
      (values) => values.every((value) => value === head),
    );
    expect(cursors).toEqual([head, head, head]);
  });

  it("delivers to an owner's endpoint only the events of wallets that owner holds, a wallet opened after it too", async () => {
    receiver.answerWith(() => 'ok');
    const alice = { ownerType: 'user', ownerRef: `alice-${Date.now()}` };
    const bob = { ownerType: 'user', ownerRef: `bob-${Date.now()}` };
    const open = async (owner: { ownerType: string; ownerRef: string }): Promise<string> => {
      const opened = await post(app.baseUrl, '/v1/wallets', { type: 'main', currency: 'USD', owners: [owner] });
      expect(opened.status).toBe(201);
      return opened.body.id as string;
    };
    const [aliceFirst, bobs] = [await open(alice), await open(bob)];
    const after = await feedHead(app.baseUrl);
    const { endpoint, secret } = await new WebhookEndpointStore(app.database.pool).create({ url: receiver.url, types: null, walletId: null, description: null, owner: alice, after });
    receiver.trust(endpoint.id, [secret]);
    const aliceLater = await open(alice);
    for (let i = 0; i < 5; i += 1) {
      for (const walletId of [aliceFirst, bobs, aliceLater]) expect((await post(app.baseUrl, `/v1/wallets/${walletId}/transactions`, { type: 'credit', amount: String(10 + i) })).status).toBe(201);
    }
    expect((await post(app.baseUrl, '/v1/transfers', { fromWalletId: aliceFirst, toWalletId: bobs, amount: '3' })).status).toBe(201);
    expect((await post(app.baseUrl, '/v1/transfers', { fromWalletId: bobs, toWalletId: aliceLater, amount: '2' })).status).toBe(201);

    await untilFeedShowsLog(app.baseUrl, app.database.pool);
    const items = [...(await feedItems(app.baseUrl, after, `walletId=${aliceFirst}`)), ...(await feedItems(app.baseUrl, after, `walletId=${aliceLater}`))].sort((a, b) =>
      BigInt(a.position) < BigInt(b.position) ? -1 : 1,
    );
    expect(items.map((item) => item.type)).toContain('WalletOpened');
    await untilDelivered(receiver, new Map([[endpoint.id, items]]), 10_000);
    const check = checkEndpointDeliveries(receiver, endpoint.id, new Set());
    expect(check.items).toEqual(items);
    expect(check).toMatchObject({ unexplainedDuplicates: [], outOfOrder: [], invalidSignatures: 0 });
    expect(receiver.received.filter((batch) => batch.endpointId === endpoint.id).flatMap((batch) => batch.items).filter((item) => item.streamId.includes(bobs))).toEqual([]);
  });
});

function countAnswers(receiver: WebhookReceiver): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const batch of receiver.received) counts[batch.answer] = (counts[batch.answer] ?? 0) + 1;
  return counts;
}

/**
 * A stop (SIGTERM, a deploy) in the middle of a request: the request is cut off, the attempt is
 * not counted, the lease is let go at once, and the next process sends the same batch under
 * the same id without waiting for the lease to lapse.
 */
describe('webhook delivery across a graceful restart', () => {
  let app: TestApp;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    app = await startTestApp({
      env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_POLL_MS: '20', WEBHOOK_TIMEOUT_MS: '10000', WEBHOOK_LEASE_MS: '60000' },
    });
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await app?.close();
    await receiver?.close();
  });

  it('hands the batch in flight to the next process at once, under the same id', async () => {
    const walletId = await fundedWallet(app.baseUrl, '0');
    const after = await feedHead(app.baseUrl);
    const endpoints = new WebhookEndpointStore(app.database.pool);
    const { endpoint, secret } = await endpoints.create({ url: receiver.url, types: null, walletId, description: null, owner: null, after });
    receiver.trust(endpoint.id, [secret]);
    receiver.answerWith(() => 'hang');
    expect((await post(app.baseUrl, `/v1/wallets/${walletId}/transactions`, { type: 'credit', amount: '5' })).status).toBe(201);
    const deadline = Date.now() + 10_000;
    while (receiver.received.length === 0 && Date.now() < deadline) {
      // The hung request shows in `received` once it closes; the lease shows it under way.
      const { rows } = await app.database.pool.query('select batch_id from webhooks.endpoints where id = $1 and lease_holder is not null and batch_id is not null', [endpoint.id]);
      if (rows.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));

    const stoppedAt = Date.now();
    await app.stop();
    expect(Date.now() - stoppedAt).toBeLessThan(5_000);
    const { rows } = await app.database.pool.query('select lease_holder, batch_id, attempt from webhooks.endpoints where id = $1', [endpoint.id]);
    expect(rows[0]).toMatchObject({ lease_holder: null, attempt: 0, batch_id: expect.stringMatching(/^msg_/) });
    expect(await endpoints.deliveries(endpoint.id, { limit: 10 })).toEqual([]);
    const cutOff = receiver.received.filter((batch) => batch.endpointId === endpoint.id);
    expect(cutOff.map((batch) => [batch.webhookId, batch.answer])).toEqual([[rows[0].batch_id, 'hang']]);

    receiver.answerWith(() => 'ok');
    const restartedAt = Date.now();
    await app.start();
    await untilFeedShowsLog(app.baseUrl, app.database.pool);
    const items = await feedItems(app.baseUrl, after, `walletId=${walletId}`);
    const tookMs = await untilDelivered(receiver, new Map([[endpoint.id, items]]), 10_000);
    console.log(`after a graceful restart the batch went out again ${Date.now() - restartedAt} ms after the start (${tookMs} ms of waiting)`);
    expect(receiver.delivered(endpoint.id).map((batch) => batch.webhookId)).toEqual([rows[0].batch_id]);
    // Well before the 60 s lease: the stopped process let go of it.
    expect(Date.now() - restartedAt).toBeLessThan(10_000);
  });
});
