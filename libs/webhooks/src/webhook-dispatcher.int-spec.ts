import { type StoreTestDatabase, createStoreTestDatabase } from '@wallet/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { type AttemptOutcome, DeliveryStore } from './delivery-store';
import type { DeliverySettings } from './endpoint-delivery';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookEndpointStore } from './webhook-endpoint-store';
import type { WebhookPost, WebhookSender } from './webhook-sender';

const settings = (leaseMs: number): DeliverySettings => ({
  timeoutMs: 1_000,
  leaseMs,
  retryBaseMs: 10,
  retryMaxMs: 50,
  disableAfterMs: 3_600_000,
  batchesPerClaim: 20,
});

/** A receiving end in the process: counts the posts open at once per batch id, answers after `answerMs` (or when stopped). */
function slowSender(answerMs: number) {
  let open = 0;
  const seen = { posts: [] as string[], mostAtOnce: 0 };
  const sender = {
    post: async (request: WebhookPost): Promise<AttemptOutcome> => {
      open += 1;
      seen.mostAtOnce = Math.max(seen.mostAtOnce, open);
      seen.posts.push(request.headers['webhook-id']!);
      try {
        await sleep(answerMs, undefined, { signal: request.signal });
        return { statusCode: 204, durationMs: answerMs, error: null };
      } catch {
        return { statusCode: null, durationMs: 0, error: 'stopped' };
      } finally {
        open -= 1;
      }
    },
    close: () => undefined,
  };
  return { sender: sender as unknown as WebhookSender, seen };
}

describe('WebhookDispatcher on PostgreSQL', () => {
  let database: StoreTestDatabase;

  beforeAll(async () => {
    database = await createStoreTestDatabase(10);
  });
  afterAll(() => database.drop());

  /** An endpoint with a batch already under way (no events needed in the log). */
  const endpointSending = async (webhookId: string): Promise<string> => {
    const { endpoint } = await new WebhookEndpointStore(database.pool).create({ url: 'http://127.0.0.1:9/hooks', types: null, walletId: null, description: null, owner: null, after: 0n });
    await database.pool.query(
      `update webhooks.endpoints set batch_id = $2, batch_first = 1, batch_last = 1, batch_next_after = 1, batch_body = '{"items":[]}' where id = $1`,
      [endpoint.id, webhookId],
    );
    return endpoint.id;
  };
  const state = async (id: string) =>
    (await database.pool.query('select delivered_through, batch_id, lease_holder from webhooks.endpoints where id = $1', [id])).rows[0] as {
      delivered_through: string;
      batch_id: string | null;
      lease_holder: string | null;
    };

  it('never starts a second delivery of an endpoint it is still delivering, even once its lease lapsed', async () => {
    const id = await endpointSending('msg_slow');
    // An answer slower than the lease: the lease lapses while this very process still waits on it.
    const { sender, seen } = slowSender(400);
    const deliveries = new DeliveryStore(database.pool, 'dispatcher-a');
    const dispatcher = new WebhookDispatcher({ store: database.store, pool: database.pool, deliveries, sender, settings: settings(100) }, { concurrencyMax: 4, pollMs: 10, log: () => undefined });
    const controller = new AbortController();
    const running = dispatcher.run(controller.signal);
    const deadline = Date.now() + 5_000;
    while ((await state(id)).batch_id !== null && Date.now() < deadline) await sleep(20);
    controller.abort();
    await running;
    expect(await state(id)).toMatchObject({ delivered_through: '1', batch_id: null });
    expect(seen.mostAtOnce).toBe(1);
    expect(seen.posts).toEqual(['msg_slow']);
  });

  it('on stop, aborts the request in flight, keeps the batch and lets go of the lease at once', async () => {
    const id = await endpointSending('msg_stopped');
    const { sender, seen } = slowSender(10_000);
    const deliveries = new DeliveryStore(database.pool, 'dispatcher-b');
    const dispatcher = new WebhookDispatcher({ store: database.store, pool: database.pool, deliveries, sender, settings: settings(60_000) }, { concurrencyMax: 4, pollMs: 10, log: () => undefined });
    const controller = new AbortController();
    const running = dispatcher.run(controller.signal);
    const deadline = Date.now() + 5_000;
    while (!seen.posts.includes('msg_stopped') && Date.now() < deadline) await sleep(10);
    const stoppedAt = Date.now();
    controller.abort();
    await running;
    expect(Date.now() - stoppedAt).toBeLessThan(1_000);
    expect(await state(id)).toEqual({ delivered_through: '0', batch_id: 'msg_stopped', lease_holder: null });
    // The aborted attempt is no attempt: nothing logged, so the next holder sends it as attempt 1 again.
    expect(await new WebhookEndpointStore(database.pool).deliveries(id, { limit: 10 })).toEqual([]);
    // Another process takes it at once, with the same batch.
    const taken = await new DeliveryStore(database.pool, 'dispatcher-c').claimDue(10, 1_000);
    expect(taken.find((endpoint) => endpoint.id === id)).toMatchObject({ id, batch: { webhookId: 'msg_stopped' } });
  });
});
