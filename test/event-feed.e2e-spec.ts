import { PostgresEventStore } from '@wallet/event-store';
import { connect } from 'node:net';
import { Client } from 'pg';
import { appendOnConnection } from '@wallet/testing';
import { fundedWallet, get, post } from './support/http';
import { readSse } from './support/sse';
import { startTestApp, type TestApp } from './support/test-app';
import { eventually } from './support/eventually';

describe('event feed', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: { FEED_STREAMS_MAX: '3', PROJECTOR_POLL_MS: '20' } });
  });
  afterAll(async () => app.close());

  const logPositions = async (after = 0n): Promise<string[]> =>
    (await app.database.pool.query('select e.position::text as position from event_store.events e where e.position > $1 order by e.position', [after.toString()])).rows.map((r) => r.position);

  it('pages the log in position order, filtered by wallet and by type', async () => {
    const [a, b] = [await fundedWallet(app.baseUrl, '100'), await fundedWallet(app.baseUrl, '5')];
    await post(app.baseUrl, `/v1/wallets/${a}/transactions`, { type: 'debit', amount: '30', pending: true });
    // Another spec's open transaction on the same server can hide fresh events for a moment.
    const written = await logPositions();
    const all = await eventually(() => get(app.baseUrl, '/v1/events?after=0&limit=500'), (read) => read.body.items?.length === written.length);
    expect(all.status).toBe(200);
    const positions = all.body.items.map((item: any) => BigInt(item.position));
    expect(positions.every((p: bigint, i: number) => i === 0 || positions[i - 1] < p)).toBe(true);
    expect(all.body.items[0]).toMatchObject({ streamId: expect.stringMatching(/^wallet-/), revision: 0, type: 'WalletOpened', schemaVersion: 1, recordedAt: expect.any(String) });

    const byWallet = await get(app.baseUrl, `/v1/events?walletId=${a}`);
    expect(byWallet.body.items.map((item: any) => item.type)).toEqual(['WalletOpened', 'FundsCredited', 'HoldPlaced']);
    const byType = await get(app.baseUrl, `/v1/events?types=FundsCredited&walletId=${b}`);
    expect(byType.body.items.map((item: any) => [item.type, item.data.amountMinor])).toEqual([['FundsCredited', '5']]);
    const paged = await get(app.baseUrl, `/v1/events?walletId=${a}&limit=2`);
    const rest = await get(app.baseUrl, `/v1/events?walletId=${a}&limit=2&after=${paged.body.nextAfter}`);
    expect([...paged.body.items, ...rest.body.items].map((item: any) => item.type)).toEqual(['WalletOpened', 'FundsCredited', 'HoldPlaced']);
  });

  it('refuses unknown types and bad positions with a 400', async () => {
    expect((await get(app.baseUrl, '/v1/events?types=Nope')).body.code).toBe('VALIDATION_FAILED');
    expect((await get(app.baseUrl, '/v1/events?after=-1')).status).toBe(400);
  });

  it('delivers an event whose transaction commits after a later position, and in order', async () => {
    const walletId = await fundedWallet(app.baseUrl, '10');
    const [head] = (await logPositions()).slice(-1);
    const slow = new Client({ connectionString: app.database.url });
    await slow.connect();
    await slow.query('begin');
    const slowPosition = await appendOnConnection(slow, 'wallet-slow', 'no_stream', {
      type: 'WalletOpened',
      schemaVersion: 1,
      data: { walletId: '00000000-0000-7000-8000-000000000000', walletType: 'x', currency: 'USD', owners: [], metadata: {}, openedAt: new Date().toISOString() },
      metadata: { correlationId: 'c', causationId: 'c' },
    });
    const credit = await post(app.baseUrl, `/v1/wallets/${walletId}/transactions`, { type: 'credit', amount: '1' });
    expect(BigInt(credit.body.position)).toBeGreaterThan(slowPosition);
    const streaming = readSse(`${app.baseUrl}/v1/events/stream?after=${head}`, { stop: (events) => events.length >= 2 });
    expect((await get(app.baseUrl, `/v1/events?after=${head}`)).body.items).toEqual([]);
    await slow.query('commit');
    await slow.end();
    // Other test databases on the same server can hold the visibility horizon back a moment.
    const page = await eventually(() => get(app.baseUrl, `/v1/events?after=${head}`), (result) => result.body.items.length >= 2);
    expect(page.body.items.map((item: any) => item.position)).toEqual([slowPosition.toString(), credit.body.position]);
    expect((await streaming).events.map((event) => event.id)).toEqual([slowPosition.toString(), credit.body.position]);
  });

  it('resumes with Last-Event-ID while 8 writers append: no gap, no duplicate, in order', async () => {
    const start = (await logPositions()).slice(-1)[0] ?? '0';
    const wallets = await Promise.all(Array.from({ length: 8 }, () => fundedWallet(app.baseUrl, '1000')));
    let writing = true;
    const writers = wallets.map(async (walletId) => {
      for (let i = 0; i < 25 && writing; i += 1) await post(app.baseUrl, `/v1/wallets/${walletId}/transactions`, { type: i % 3 === 0 ? 'debit' : 'credit', amount: '3' });
    });
    const received: string[] = [];
    let lastId = start;
    const writersDone = Promise.all(writers).then(() => (writing = false));
    let rounds = 0;
    while (rounds < 60) {
      rounds += 1;
      const cut = 1 + Math.floor(Math.random() * 15);
      const { events } = await readSse(`${app.baseUrl}/v1/events/stream`, { headers: { 'last-event-id': lastId }, stop: (e) => e.length >= cut, timeoutMs: 1_000 });
      received.push(...events.map((event) => event.id));
      if (events.length > 0) lastId = events[events.length - 1]!.id;
      if (!writing && events.length < cut) break;
    }
    await writersDone;
    const { events: tail } = await readSse(`${app.baseUrl}/v1/events/stream`, { headers: { 'last-event-id': lastId }, stop: () => false, timeoutMs: 1_000 });
    received.push(...tail.map((event) => event.id));
    const log = await logPositions(BigInt(start));
    expect(received).toEqual(log);
  });

  it('caps concurrent streams with 429 RATE_LIMITED', async () => {
    const open = Array.from({ length: 3 }, () => readSse(`${app.baseUrl}/v1/events/stream`, { stop: () => false, timeoutMs: 1_500 }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const refused = await get(app.baseUrl, '/v1/events/stream');
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('RATE_LIMITED');
    await Promise.all(open);
  });

  it('keeps memory bounded for a consumer that stops reading with 100,000 events pending', async () => {
    const store = new PostgresEventStore(app.database.pool, { connectionString: app.database.url });
    const walletId = crypto.randomUUID();
    const event = (i: number) => ({
      type: 'FundsCredited',
      schemaVersion: 1,
      data: { walletId, transactionId: crypto.randomUUID(), amountMinor: '1', description: `padding ${'x'.repeat(200)} ${i}`, metadata: {}, groupId: null, recordedAt: new Date().toISOString() },
      metadata: { correlationId: 'bulk', causationId: 'bulk' },
    });
    const [head] = (await logPositions()).slice(-1);
    for (let batch = 0; batch < 100; batch += 1) {
      await store.append(`wallet-${walletId}`, Array.from({ length: 1_000 }, (_, i) => event(batch * 1_000 + i)), batch === 0 ? 'no_stream' : batch * 1_000 - 1);
    }
    // Let the in-process projector digest the backlog first: its garbage is not the stream's.
    const [last] = (await logPositions()).slice(-1);
    await eventually(
      async () => (await app.database.pool.query("select position::text from read_model.projection_checkpoints where name = 'read_model'")).rows[0]?.position,
      (position) => position !== undefined && BigInt(position) >= BigInt(last!),
    );
    const heapBefore = process.memoryUsage().heapUsed;
    const socket = connect(Number(new URL(app.baseUrl).port), '127.0.0.1');
    socket.pause();
    socket.write(`GET /v1/events/stream?after=${head} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    socket.destroy();
    expect(heapGrowthMb).toBeLessThan(30);
  }, 120_000);

  it('ends open streams when the service shuts down', async () => {
    const own = await startTestApp();
    const streaming = readSse(`${own.baseUrl}/v1/events/stream`, { stop: () => false, timeoutMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    await own.close();
    await streaming;
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

