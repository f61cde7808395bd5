import { EventSource, type EventSourceFetchInit } from 'eventsource';
import { STREAM_FAILED_EVENT } from '../apps/wallet-api/src/feed/event-streams.service';
import { assertDocumented, fetchedHeader } from './support/contract';
import { fundedWallet, get, post, withAuthorization } from './support/http';
import { logHead } from './support/read-model';
import { startTestApp, type TestApp } from './support/test-app';

interface Received {
  readonly id: string;
  readonly item: { position: string; type: string };
}

/**
 * The event stream as a browser or a Node service reads it: the `eventsource` package's
 * EventSource, with nothing but `onmessage`. The API key goes in a header through its
 * `fetch` option (EventSource itself cannot set headers), and so does a `Last-Event-ID`.
 * The answer's status and headers are checked against the OpenAPI document there too (its
 * body is the stream EventSource reads).
 */
function follow(url: string, expected: number, lastEventId?: string): Promise<{ received: Received[]; namedEvents: string[] }> {
  const received: Received[] = [];
  const namedEvents: string[] = [];
  return new Promise((resolve, reject) => {
    const source = new EventSource(url, {
      fetch: async (input: string | URL, init: EventSourceFetchInit) => {
        const extra: Record<string, string> = lastEventId === undefined ? {} : { 'last-event-id': lastEventId };
        const response = await fetch(input, { ...init, headers: { ...init.headers, ...withAuthorization(extra) } });
        const { origin, pathname, search } = new URL(input);
        await assertDocumented(origin, { method: 'GET', target: `${pathname}${search}`, status: response.status, header: fetchedHeader(response.headers), text: undefined });
        return response;
      },
    });
    const timer = setTimeout(() => finish(new Error(`only ${received.length} of ${expected} events arrived`)), 10_000);
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      source.close();
      if (error) reject(error);
      else resolve({ received, namedEvents });
    };
    source.onmessage = (message) => {
      // One chunk can hold several events, dispatched before close() takes effect.
      if (received.length >= expected) return;
      received.push({ id: message.lastEventId, item: JSON.parse(message.data) });
      if (received.length >= expected) finish();
    };
    source.addEventListener(STREAM_FAILED_EVENT, () => namedEvents.push(STREAM_FAILED_EVENT));
    source.onerror = (event) => finish(new Error(`EventSource failed: ${event.message ?? 'no message'} (code ${event.code ?? 'none'})`));
  });
}

interface FeedItem {
  readonly position: string;
  readonly type: string;
}

const FEED_PATIENCE_MS = 10_000;

describe('the event stream read by EventSource', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  /**
   * The feed after `after` once it holds `through`, the position the last command returned.
   * The feed serves only events below the server's visibility horizon, which a transaction
   * of another test file's database can hold back a moment after our commit.
   */
  async function feedThrough(after: string, through: string): Promise<FeedItem[]> {
    const deadline = Date.now() + FEED_PATIENCE_MS;
    for (;;) {
      const items = (await get(app.baseUrl, `/v1/events?after=${after}&limit=500`)).body.items as FeedItem[];
      const last = items[items.length - 1];
      if ((last !== undefined && BigInt(last.position) >= BigInt(through)) || Date.now() > deadline) return items;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  // The log's last position, whether or not the feed shows it yet: every command of this
  // spec has returned, so nothing of ours below it can still appear.
  const head = async (): Promise<string> => (await logHead(app)).toString();

  it('delivers every event to onmessage, with its position as the event id and the type in the data', async () => {
    const start = await head();
    const walletId = await fundedWallet(app.baseUrl, '100');
    const hold = await post(app.baseUrl, `/v1/wallets/${walletId}/transactions`, { type: 'debit', amount: '30', pending: true });
    const expected = await feedThrough(start, hold.body.position);
    expect(expected.map((item) => item.type)).toEqual(['WalletOpened', 'FundsCredited', 'HoldPlaced']);

    const { received, namedEvents } = await follow(`${app.baseUrl}/v1/events/stream?after=${start}`, expected.length);
    expect(received.map((event) => event.id)).toEqual(expected.map((item) => item.position));
    expect(received.map((event) => [event.item.position, event.item.type])).toEqual(expected.map((item) => [item.position, item.type]));
    expect(namedEvents).toEqual([]);
  });

  it('resumes after Last-Event-ID: exactly the events after it, none twice', async () => {
    const start = await head();
    const walletId = await fundedWallet(app.baseUrl, '1000');
    let last = '';
    for (let i = 0; i < 6; i += 1) last = (await post(app.baseUrl, `/v1/wallets/${walletId}/transactions`, { type: 'debit', amount: '7' })).body.position;
    const log = (await feedThrough(start, last)).map((item) => item.position);
    expect(log).toHaveLength(8);

    const first = await follow(`${app.baseUrl}/v1/events/stream?after=${start}`, 3);
    const resumeFrom = first.received[2]!.id;
    const rest = await follow(`${app.baseUrl}/v1/events/stream?after=${start}`, log.length - 3, resumeFrom);
    expect([...first.received, ...rest.received].map((event) => event.id)).toEqual(log);
  });
});
