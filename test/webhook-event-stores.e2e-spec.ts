import { WebhookEndpointStore } from '@wallet/webhooks';
import { eventually } from './support/eventually';
import { fundedWallet, get, post } from './support/http';
import { startTestApp, type TestApp } from './support/test-app';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver';

const FAST_DELIVERY = { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_POLL_MS: '20', WEBHOOK_RETRY_BASE_MS: '20', WEBHOOK_RETRY_MAX_MS: '200', WEBHOOK_TIMEOUT_MS: '500', WEBHOOK_LEASE_MS: '1000' };

/**
 * Delivery reads the log through the event-store port: the same endpoint gets the same
 * events, in position order, whichever store holds them (KurrentDB: the in-process double,
 * or the server KURRENTDB_URL names in `npm run test:kurrentdb`).
 */
describe.each(['postgres', 'kurrentdb'] as const)('webhook delivery on the %s event store', (eventStore) => {
  let app: TestApp;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    app = await startTestApp({ eventStore, env: FAST_DELIVERY });
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await app.close();
  });

  it("delivers every event of the log after the endpoint's start, in position order, through failures", async () => {
    const before = await fundedWallet(app.baseUrl, '500');
    const head = BigInt((await get(app.baseUrl, '/v1/events?limit=500')).body.nextAfter as string);
    const { endpoint, secret } = await new WebhookEndpointStore(app.database.pool).create({ url: receiver.url, types: null, walletId: null, description: null, owner: null, after: head });
    receiver.trust(endpoint.id, [secret]);
    let requests = 0;
    // The first request and every third after it fail: each batch that fails is sent again, whole, before anything later.
    receiver.answerWith(() => (requests++ % 3 === 0 ? 'fail' : 'ok'));
    // Two wallets opened and funded (4 events) and 12 transactions: 16 events after the start.
    const wallets = [before, await fundedWallet(app.baseUrl, '100'), await fundedWallet(app.baseUrl, '100')];
    for (let i = 0; i < 12; i += 1) {
      const answer = await post(app.baseUrl, `/v1/wallets/${wallets[i % 3]}/transactions`, { type: i % 2 === 0 ? 'credit' : 'debit', amount: '10' });
      expect(answer.status).toBe(201);
    }
    // At least the 16 events written after the start (more if the first wallet's became visible
    // only after it). What was delivered is read before the log, so it can only be the shorter.
    const { delivered, log } = await eventually(
      async () => {
        const delivered = receiver.delivered(endpoint.id).flatMap((batch) => batch.positions);
        const log = (await get(app.baseUrl, `/v1/events?after=${head}&limit=500`)).body.items as Array<{ position: string }>;
        return { delivered, log };
      },
      (seen) => seen.log.length >= 16 && seen.delivered.length >= seen.log.length,
    );
    expect(log.length).toBeGreaterThanOrEqual(16);
    expect(delivered.map(String)).toEqual(log.map((item) => item.position));
    expect(receiver.received.every((batch) => batch.signatureValid)).toBe(true);
    expect(receiver.received.some((batch) => batch.answer === 'fail')).toBe(true);
    expect(receiver.overlaps).toEqual([]);
  });
});
