import type { Pool } from 'pg';
import type { WebhookReceiver } from '../support/webhook-receiver';
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
import { WEBHOOK_FAULT_LEASE_MS, startWebhookFaultCase } from './support/webhook-env';

/** How much later than the lease a survivor may send to an endpoint it took over: a poll and a loaded machine. */
const TAKEOVER_MARGIN_MS = 2_000;

/**
 * Two processes deliver webhooks on one database at once, each endpoint leased to one of them
 * at a time: the receiver never sees two requests for one endpoint open together. Then one
 * is SIGKILLed while it holds endpoints: the other takes them over once their leases lapse,
 * and every event still arrives, in order.
 */
describe('two processes delivering webhooks, one of them SIGKILLed', () => {
  const own = ownDatabaseAndApi();
  const projectors: ServiceProcess[] = [];
  let receiver: WebhookReceiver | undefined;
  let stopped = false;

  afterAll(async () => {
    stopped = true;
    await Promise.all(projectors.map((projector) => projector.crash()));
    await receiver?.close();
  });

  it('never sends one endpoint two requests at once, and the survivor takes over after the lease', async () => {
    const start = await startWebhookFaultCase(own, 'takeover');
    const { random, env, baseUrl, walletIds, after, endpoints } = start;
    receiver = start.receiver;
    const filters: Array<{ types: string[] | null; walletId: string | null; query: string }> = [
      { types: null, walletId: null, query: '' },
      { types: null, walletId: null, query: '' },
      { types: null, walletId: null, query: '' },
      { types: null, walletId: walletIds[0]!, query: `walletId=${walletIds[0]}` },
      { types: null, walletId: walletIds[1]!, query: `walletId=${walletIds[1]}` },
      { types: ['FundsCredited', 'FundsDebited'], walletId: null, query: 'types=FundsCredited,FundsDebited' },
    ];
    const created = [];
    for (const filter of filters) {
      const { endpoint, secret } = await endpoints.create({ url: receiver.url, types: filter.types, walletId: filter.walletId, description: null, owner: null, after });
      receiver.trust(endpoint.id, [secret]);
      created.push({ id: endpoint.id, query: filter.query });
    }
    receiver.answerWith(flakyAnswers(random));

    projectors.push(await startServiceProcess({ app: 'projector', databaseUrl: own.database.url, env }));
    projectors.push(await startServiceProcess({ app: 'projector', databaseUrl: own.database.url, env }));
    const pids = projectors.map((projector) => projector.child.pid!);
    const writing = runWebhookWriters({ baseUrl: () => baseUrl, walletIds, writers: 16, writesPerWriter: 150, stop: () => stopped });

    // Both deliver: each is seen holding endpoints before one is killed.
    const seenHolding = new Set<number>();
    let held = 0;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const leases = await leasesNow(own.database.pool);
      for (const pid of pids) if (leases.some((lease) => lease.pid === pid)) seenHolding.add(pid);
      held = leases.filter((lease) => lease.pid === pids[0]).length;
      if (seenHolding.size === 2 && held > 0 && receiver.received.length >= 20) break;
      if (Date.now() > deadline) throw new Error(`not both processes delivered within 30 s (seen holding: ${[...seenHolding].join(', ')})`);
      await sleep(10);
    }
    // A lease lasts while its process delivers: the receiver holds every request open for a
    // moment, so that the process about to die surely holds endpoints when it is killed.
    receiver.answerWith(() => 'hang');
    const holdDeadline = Date.now() + 10_000;
    while ((await leasesNow(own.database.pool)).filter((lease) => lease.pid === pids[0]).length === 0) {
      if (Date.now() > holdDeadline) throw new Error('the process to kill held no endpoint within 10 s');
      await sleep(5);
    }
    const requestsBeforeKill = receiver.received.length;
    const exit = await projectors[0]!.crash();
    receiver.answerWith(flakyAnswers(random));
    expect(exit.signal).toBe('SIGKILL');
    const killedAt = Date.now();
    // What the killed process may have had under way comes again under its id.
    const interrupted = new Set(created.map(({ id }) => receiver!.received.filter((batch) => batch.endpointId === id).at(-1)?.webhookId).filter((id): id is string => id !== undefined));

    // The endpoints the dead process still holds: nobody may send to them before their leases lapse.
    const orphans = (await leasesNow(own.database.pool)).filter((lease) => lease.pid === pids[0]);
    expect(orphans.length).toBeGreaterThan(0);
    const takeoverMs = await Promise.all(orphans.map((lease) => firstRequestAfter(receiver!, lease.id, killedAt, WEBHOOK_FAULT_LEASE_MS + 10_000)));
    for (const [index, lease] of orphans.entries()) {
      // The database's clock and this process's are the same machine's; a few ms of rounding allowed.
      expect(killedAt + takeoverMs[index]!).toBeGreaterThanOrEqual(lease.until - 5);
    }
    await sleep(1_000);
    stopped = true;
    const accepted = await writing;

    await untilFeedShowsLog(baseUrl, own.database.pool);
    const expected = new Map(await Promise.all(created.map(async ({ id, query }) => [id, await feedItems(baseUrl, after, query)] as const)));
    const caughtUpMs = await untilDelivered(receiver, expected, 30_000);
    const failed = new Set([...(await failedWebhookIds(own.database.pool)), ...interrupted]);
    const checks = created.map(({ id }) => checkEndpointDeliveries(receiver!, id, failed));
    const leasesAfter = await leasesNow(own.database.pool);
    console.log(
      `${accepted} commands; ${requestsBeforeKill} requests before the kill; the killed process held ${orphans.length} of ${created.length} endpoints; ` +
        `takeover after ${takeoverMs.join(', ')} ms (lease ${WEBHOOK_FAULT_LEASE_MS} ms); caught up ${caughtUpMs} ms after the writes; ` +
        `events ${[...expected.values()].map((items) => items.length).join('/')}; requests ${checks.map((check) => check.requests).join('/')}`,
    );
    for (const [first, second] of receiver.overlaps) {
      console.log(`overlap ${first} / ${second}: ${JSON.stringify(receiver.received.filter((batch) => batch.webhookId === first || batch.webhookId === second).map(({ webhookId, answer, startedAt, endedAt }) => ({ webhookId, answer, startedAt, endedAt })))}`);
    }
    expect(receiver.overlaps).toEqual([]);
    expect(await overlappingAttempts(own.database.pool)).toEqual([]);
    for (const ms of takeoverMs) expect(ms).toBeLessThan(WEBHOOK_FAULT_LEASE_MS + TAKEOVER_MARGIN_MS);
    for (const [index, items] of [...expected.values()].entries()) {
      expect(items.length).toBeGreaterThan(0);
      expect(checks[index]!.items).toEqual(items);
      expect(checks[index]).toMatchObject({ unexplainedDuplicates: [], positionsInTwoBatches: [], changedBodies: [], outOfOrder: [], invalidSignatures: 0 });
    }
    expect(leasesAfter.every((lease) => lease.pid !== pids[0])).toBe(true);
  });
});

interface Lease {
  readonly id: string;
  readonly pid: number;
  /** When the lease lapses, ms since the epoch. */
  readonly until: number;
}

/** Endpoints leased right now, with the process id in the holder (host:pid:uuid). */
async function leasesNow(pool: Pool): Promise<Lease[]> {
  const { rows } = await pool.query<{ id: string; lease_holder: string; until: string }>(
    `select id, lease_holder, (extract(epoch from lease_until) * 1000)::bigint::text as until from webhooks.endpoints where lease_until > now() and lease_holder is not null`,
  );
  return rows.map((row) => ({ id: row.id, pid: Number(row.lease_holder.split(':').at(-2)), until: Number(row.until) }));
}

/** Milliseconds from `since` until the receiver got a request for the endpoint that started after it. */
async function firstRequestAfter(receiver: WebhookReceiver, endpointId: string, since: number, timeoutMs: number): Promise<number> {
  const deadline = since + timeoutMs;
  for (;;) {
    const next = receiver.received.find((batch) => batch.endpointId === endpointId && batch.startedAt > since);
    if (next) return next.startedAt - since;
    if (Date.now() > deadline) throw new Error(`no request for endpoint ${endpointId} within ${timeoutMs} ms of the kill`);
    await sleep(10);
  }
}
