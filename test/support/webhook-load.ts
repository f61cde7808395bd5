import type { Pool } from 'pg';
import { get, post } from './http';
import type { ReceivedBatch, ReceiverAnswer, WebhookReceiver } from './webhook-receiver';

/** A small seeded generator (mulberry32): a failing run can be repeated with its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The seed of this run: WEBHOOK_SPEC_SEED to repeat one, else a new one. */
export function specSeed(): number {
  const given = Number(process.env.WEBHOOK_SPEC_SEED);
  return Number.isInteger(given) && given > 0 ? given : Math.floor(Math.random() * 2 ** 31) + 1;
}

/** Answers at random: mostly 2xx, the rest 500, no answer, or a reset connection. */
export function flakyAnswers(random: () => number): () => ReceiverAnswer {
  return () => {
    const roll = random();
    if (roll < 0.55) return 'ok';
    if (roll < 0.7) return 'fail';
    if (roll < 0.8) return 'hang';
    return 'reset';
  };
}

/** Stops the receiver `times` times for a moment while `running()` holds, at seeded moments. */
export async function bounceReceiver(receiver: WebhookReceiver, random: () => number, times: number, running: () => boolean): Promise<number> {
  let bounced = 0;
  for (let i = 0; i < times && running(); i += 1) {
    await sleep(200 + Math.floor(random() * 400));
    await receiver.stop();
    await sleep(100 + Math.floor(random() * 300));
    await receiver.start();
    bounced += 1;
  }
  return bounced;
}

export interface WriteLoad {
  readonly baseUrl: () => string;
  readonly walletIds: readonly string[];
  readonly writers: number;
  readonly writesPerWriter: number;
  /** Stops each writer early once it returns true (the count stays the bound). */
  readonly stop?: () => boolean;
}

/**
 * Writers through the HTTP API, each a bounded number of credits, debits, holds (placed, then
 * confirmed or rejected) and transfers; answers how many commands were accepted.
 */
export async function runWebhookWriters(load: WriteLoad): Promise<number> {
  let accepted = 0;
  const count = (status: number): void => {
    if (status === 200 || status === 201) accepted += 1;
  };
  await Promise.all(
    Array.from({ length: load.writers }, async (_, writer) => {
      for (let i = 0; i < load.writesPerWriter && !load.stop?.(); i += 1) {
        const walletId = load.walletIds[(writer + i) % load.walletIds.length]!;
        const other = load.walletIds[(writer + i + 1) % load.walletIds.length]!;
        const amount = String(1 + ((writer * 7 + i) % 20));
        const base = load.baseUrl();
        switch ((writer + i) % 4) {
          case 0:
            count((await post(base, `/v1/wallets/${walletId}/transactions`, { type: 'credit', amount })).status);
            break;
          case 1:
            count((await post(base, `/v1/wallets/${walletId}/transactions`, { type: 'debit', amount })).status);
            break;
          case 2: {
            const hold = await post(base, `/v1/wallets/${walletId}/transactions`, { type: 'debit', amount, pending: true });
            count(hold.status);
            if (hold.status === 201) count((await post(base, `/v1/wallets/${walletId}/transactions/${hold.body.transaction.id}/${i % 2 === 0 ? 'confirm' : 'reject'}`, {})).status);
            break;
          }
          default:
            count((await post(base, '/v1/transfers', { fromWalletId: walletId, toWalletId: other, amount })).status);
        }
      }
    }),
  );
  return accepted;
}

/** The last position the feed shows (whichever event store serves it): where an endpoint created now starts. */
export async function feedHead(baseUrl: string): Promise<bigint> {
  const items = await feedItems(baseUrl, 0n);
  return BigInt(items.at(-1)?.position ?? '0');
}

/**
 * Waits until the feed shows every event the log holds (bounded): it shows an event only once no
 * older transaction of the whole server is still running, and other specs' transactions may be.
 * Read before taking the feed as what an endpoint is due, so it cannot miss the newest events.
 */
export async function untilFeedShowsLog(baseUrl: string, pool: Pool, timeoutMs = 20_000): Promise<void> {
  const { rows } = await pool.query<{ head: string }>('select coalesce(max(position), 0)::text as head from event_store.events');
  const head = BigInt(rows[0]!.head);
  const deadline = Date.now() + timeoutMs;
  while ((await feedHead(baseUrl)) < head) {
    if (Date.now() > deadline) throw new Error(`the feed did not reach position ${head} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every feed item after `after` matching the query (`walletId=`, `types=`), read as admin through GET /v1/events. */
export async function feedItems(baseUrl: string, after: bigint, query = ''): Promise<FeedItemLike[]> {
  const items: FeedItemLike[] = [];
  let cursor = after;
  for (let page = 0; page < 200; page += 1) {
    const answer = await get(baseUrl, `/v1/events?after=${cursor}&limit=500${query ? `&${query}` : ''}`);
    if (answer.status !== 200) throw new Error(`GET /v1/events answered ${answer.status}`);
    items.push(...answer.body.items);
    if (BigInt(answer.body.nextAfter) === cursor) return items;
    cursor = BigInt(answer.body.nextAfter);
  }
  throw new Error('the feed did not end within 200 pages');
}

export interface FeedItemLike {
  readonly position: string;
  readonly streamId: string;
  readonly type: string;
}

/** Webhook ids whose delivery failed at least once, as the service logged its attempts. */
export async function failedWebhookIds(pool: Pool): Promise<Set<string>> {
  const { rows } = await pool.query<{ webhook_id: string }>('select distinct webhook_id from webhooks.deliveries where error is not null');
  return new Set(rows.map((row) => row.webhook_id));
}

/**
 * Pairs of logged attempts to one endpoint whose times overlap, as the senders saw them. An
 * attempt is logged after its answer, at the database's `now()`, so its span (`at` less its
 * duration, less a millisecond of rounding) can only start later than it did: what this finds did overlap.
 */
export async function overlappingAttempts(pool: Pool): Promise<Array<[string, string]>> {
  const { rows } = await pool.query<{ a: string; b: string }>(
    `select a.webhook_id || '#' || a.attempt as a, b.webhook_id || '#' || b.attempt as b
       from webhooks.deliveries a join webhooks.deliveries b on a.endpoint_id = b.endpoint_id and a.id < b.id
      where b.at - make_interval(secs => greatest(b.duration_ms - 1, 0) / 1000.0) < a.at
        and a.at - make_interval(secs => greatest(a.duration_ms - 1, 0) / 1000.0) < b.at`,
  );
  return rows.map((row) => [row.a, row.b]);
}

/** Waits, bounded, until the receiver has had every expected position delivered to the endpoint. */
export async function untilDelivered(receiver: WebhookReceiver, expected: ReadonlyMap<string, readonly FeedItemLike[]>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    const missing = [...expected].filter(([endpointId, items]) => {
      const got = new Set(receiver.delivered(endpointId).flatMap((batch) => batch.positions.map(String)));
      return items.some((item) => !got.has(item.position));
    });
    if (missing.length === 0) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`endpoints ${missing.map(([id]) => id).join(', ')} still miss events after ${timeoutMs} ms`);
    await sleep(50);
  }
}

export interface DeliveryCheck {
  /** The delivered items, each webhook-id once, in the order they arrived. */
  readonly items: unknown[];
  /** Webhook ids answered 2xx more than once that never failed: should stay empty. */
  readonly unexplainedDuplicates: string[];
  /** Positions sent under more than one webhook-id: should stay empty. */
  readonly positionsInTwoBatches: string[];
  /** Webhook ids whose body changed between attempts: should stay empty. */
  readonly changedBodies: string[];
  /** 2xx requests whose position sequence went back, other than a repeat of the batch just before: should stay empty. */
  readonly outOfOrder: string[];
  readonly invalidSignatures: number;
  readonly requests: number;
  readonly duplicateDeliveries: number;
}

/**
 * What the receiver got for one endpoint, checked as the contract promises: each batch's id
 * always carries the same body, a position goes out under one id only, 2xx batches arrive in
 * position order (a batch repeated only right after itself), and a batch answered 2xx more
 * than once is one that had failed (`failed`: ids with a failed attempt, whatever saw it).
 */
export function checkEndpointDeliveries(receiver: WebhookReceiver, endpointId: string, failed: ReadonlySet<string>): DeliveryCheck {
  const requests = receiver.received.filter((batch) => batch.endpointId === endpointId);
  const bodies = new Map<string, string>();
  const owner = new Map<string, string>();
  const changedBodies = new Set<string>();
  const positionsInTwoBatches = new Set<string>();
  const failedHere = new Set(failed);
  for (const batch of requests) {
    const body = JSON.stringify(batch.items);
    if (bodies.has(batch.webhookId) && bodies.get(batch.webhookId) !== body) changedBodies.add(batch.webhookId);
    bodies.set(batch.webhookId, body);
    if (batch.answer !== 'ok') failedHere.add(batch.webhookId);
    for (const position of batch.positions.map(String)) {
      const seen = owner.get(position);
      if (seen !== undefined && seen !== batch.webhookId) positionsInTwoBatches.add(position);
      owner.set(position, batch.webhookId);
    }
  }
  const ok = requests.filter((batch) => batch.answer === 'ok');
  const items: unknown[] = [];
  const okCount = new Map<string, number>();
  const outOfOrder: string[] = [];
  let previous: ReceivedBatch | undefined;
  for (const batch of ok) {
    if (batch.positions.some((position, i) => i > 0 && position <= batch.positions[i - 1]!)) outOfOrder.push(`${batch.webhookId} is not in position order`);
    okCount.set(batch.webhookId, (okCount.get(batch.webhookId) ?? 0) + 1);
    if (previous?.webhookId === batch.webhookId) continue;
    if (okCount.get(batch.webhookId)! > 1) outOfOrder.push(`${batch.webhookId} again after ${previous?.webhookId}`);
    else {
      const last = previous?.positions.at(-1);
      if (last !== undefined && batch.positions[0]! <= last) outOfOrder.push(`${batch.webhookId} starts at ${batch.positions[0]} after ${last}`);
      items.push(...batch.items);
    }
    previous = batch;
  }
  const repeated = [...okCount].filter(([, n]) => n > 1).map(([id]) => id);
  return {
    items,
    unexplainedDuplicates: repeated.filter((id) => !failedHere.has(id)),
    positionsInTwoBatches: [...positionsInTwoBatches],
    changedBodies: [...changedBodies],
    outOfOrder,
    invalidSignatures: requests.filter((batch) => !batch.signatureValid).length,
    requests: requests.length,
    duplicateDeliveries: ok.length - new Set(ok.map((batch) => batch.webhookId)).size,
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
