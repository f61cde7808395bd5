import type { ReceiverAnswer, WebhookReceiver } from '../support/webhook-receiver';
import {
  checkEndpointDeliveries,
  failedWebhookIds,
  feedItems,
  flakyAnswers,
  overlappingAttempts,
  runWebhookWriters,
  untilDelivered,
  untilFeedShowsLog,
} from '../support/webhook-load';
import { ownDatabaseAndApi, sleep } from './support/fault-case';
import { type ServiceProcess, startServiceProcess } from './support/service-process';
import { startWebhookFaultCase } from './support/webhook-env';

/** What the receiver answers the request the kill comes in: a 2xx the killed process may not have recorded, then one it waits on. */
const KILL_ON: readonly ReceiverAnswer[] = ['ok', 'hang'];

/**
 * Delivery runs in the projector's process (the API with PROJECTOR_IN_PROCESS=false), which
 * is SIGKILLed twice in the middle of a request while writers write and the receiver fails at
 * random. The batch in flight at a kill stays recorded with its id and body; the next process
 * takes the endpoint once the lease lapses and sends it again, so the receiver sees every
 * event, in order, a batch twice only when it had failed or was cut off by a kill.
 */
describe('SIGKILL of the process delivering webhooks', () => {
  const own = ownDatabaseAndApi();
  let projector: ServiceProcess | undefined;
  let receiver: WebhookReceiver | undefined;
  let stopped = false;

  afterAll(async () => {
    stopped = true;
    await projector?.crash();
    await receiver?.close();
  });

  it('delivers every event after the start, in order, across the kills', async () => {
    const start = await startWebhookFaultCase(own, 'kill');
    const { random, env, baseUrl, walletIds, after, endpoints } = start;
    receiver = start.receiver;
    const created = await Promise.all(
      [null, walletIds[1]!].map((walletId) => endpoints.create({ url: receiver!.url, types: null, walletId, description: null, owner: null, after })),
    );
    for (const { endpoint, secret } of created) receiver.trust(endpoint.id, [secret]);

    // The request a kill comes in: answered as armed, then the process is killed at once.
    const flaky = flakyAnswers(random);
    const interrupted = new Set<string>();
    let armed: { answer: ReceiverAnswer; fire: () => void } | undefined;
    receiver.answerWith((batch) => {
      if (!armed) return flaky();
      const { answer, fire } = armed;
      armed = undefined;
      interrupted.add(batch.webhookId);
      setImmediate(fire);
      return answer;
    });

    projector = await startServiceProcess({ app: 'projector', databaseUrl: own.database.url, env });
    let writersDone = false;
    const writing = runWebhookWriters({ baseUrl: () => baseUrl, walletIds, writers: 16, writesPerWriter: 300, stop: () => stopped }).finally(() => (writersDone = true));
    const kills: Array<{ answer: ReceiverAnswer; at: number; writing: boolean }> = [];
    for (const answer of KILL_ON) {
      await untilRequests(receiver, receiver.received.length + 4, 30_000);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no request came to kill the projector in')), 15_000);
        armed = { answer, fire: () => (clearTimeout(timer), resolve()) };
      });
      const exit = await projector.crash();
      expect(exit.signal).toBe('SIGKILL');
      const at = Date.now();
      kills.push({ answer, at, writing: !writersDone });
      // Every request under way at the kill may come again under its id.
      for (const { endpoint } of created) {
        const last = receiver.received.filter((batch) => batch.endpointId === endpoint.id && batch.startedAt <= at).at(-1);
        if (last) interrupted.add(last.webhookId);
      }
      projector = await startServiceProcess({ app: 'projector', databaseUrl: own.database.url, env });
    }
    await untilRequests(receiver, receiver.received.length + 4, 30_000);
    stopped = true;
    const accepted = await writing;

    await untilFeedShowsLog(baseUrl, own.database.pool);
    const expected = new Map(
      await Promise.all(created.map(async ({ endpoint }) => [endpoint.id, await feedItems(baseUrl, after, endpoint.walletId ? `walletId=${endpoint.walletId}` : '')] as const)),
    );
    const caughtUpMs = await untilDelivered(receiver, expected, 30_000);
    const failed = new Set([...(await failedWebhookIds(own.database.pool)), ...interrupted]);
    const checks = created.map(({ endpoint }) => checkEndpointDeliveries(receiver!, endpoint.id, failed));
    console.log(
      `${accepted} commands; kills on ${kills.map((kill) => `${kill.answer}${kill.writing ? ' (writers running)' : ''}`).join(', ')}; caught up ${caughtUpMs} ms after the writes; ` +
        `events ${[...expected.values()].map((items) => items.length).join('/')}; requests ${checks.map((check) => check.requests).join('/')}; ` +
        `duplicate 2xx ${checks.map((check) => check.duplicateDeliveries).join('/')}`,
    );
    for (const [index, items] of [...expected.values()].entries()) {
      expect(items.length).toBeGreaterThan(0);
      expect(checks[index]!.items).toEqual(items);
      expect(checks[index]).toMatchObject({ unexplainedDuplicates: [], positionsInTwoBatches: [], changedBodies: [], outOfOrder: [], invalidSignatures: 0 });
    }
    for (const [first, second] of receiver.overlaps) {
      console.log(`overlap ${first} / ${second}: ${JSON.stringify(receiver.received.filter((batch) => batch.webhookId === first || batch.webhookId === second).map(({ webhookId, answer, startedAt, endedAt }) => ({ webhookId, answer, startedAt, endedAt })))}`);
    }
    expect(receiver.overlaps).toEqual([]);
    expect(await overlappingAttempts(own.database.pool)).toEqual([]);
    // The batch cut off by each kill was sent again under the same id, and delivered.
    for (const id of [...interrupted].filter((id) => receiver!.received.some((batch) => batch.webhookId === id))) {
      expect(receiver.delivered().some((batch) => batch.webhookId === id)).toBe(true);
    }
  });
});

async function untilRequests(receiver: WebhookReceiver, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (receiver.received.length < count) {
    if (Date.now() > deadline) throw new Error(`the receiver got ${receiver.received.length} requests, not ${count}, within ${timeoutMs} ms`);
    await sleep(20);
  }
}
