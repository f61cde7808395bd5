import { PostgresEventStore } from '@wallet/event-store';
import { type WebhookEndpoint, WebhookEndpointStore } from '@wallet/webhooks';
import { Client } from 'pg';
import { assertDocumented, fetchedHeader } from './support/contract';
import { fundedWallet } from './support/http';
import { startTestApp, type TestApp } from './support/test-app';

/** The samples of one scrape, by name and labels exactly as exposed (`name{a="b"}`). */
async function scrape(baseUrl: string): Promise<{ text: string; value: (sample: string) => number | undefined }> {
  const response = await fetch(`${baseUrl}/metrics`);
  expect(response.status).toBe(200);
  const text = await response.text();
  await assertDocumented(baseUrl, { method: 'GET', target: '/metrics', status: response.status, header: fetchedHeader(response.headers), text });
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return { text, value: (sample) => samples.get(sample) };
}

const endpointFor = (url: string, after: bigint) => ({ url, types: null, walletId: null, description: null, after, owner: null });
const series = (name: string, endpoint: WebhookEndpoint): string => `${name}{endpoint="${endpoint.id}"}`;

/**
 * Per-endpoint webhook series, read from the database at scrape time. Delivery runs in no process
 * here (PROJECTOR_IN_PROCESS=false), so every cursor stays where the spec puts it.
 */
describe('GET /metrics: webhook endpoints', () => {
  let app: TestApp;
  let head: bigint;
  let behind: WebhookEndpoint;
  let caughtUp: WebhookEndpoint;
  let disabled: WebhookEndpoint;

  beforeAll(async () => {
    app = await startTestApp({ eventStore: 'postgres', env: { PROJECTOR_IN_PROCESS: 'false', DB_STATEMENT_TIMEOUT_MS: '1000' } });
    await fundedWallet(app.baseUrl, '100');
    await fundedWallet(app.baseUrl, '250');
    const store = new PostgresEventStore(app.database.pool, { connectionString: app.database.url });
    try {
      head = await store.headPosition();
    } finally {
      await store.close();
    }
    const endpoints = new WebhookEndpointStore(app.database.pool);
    behind = (await endpoints.create(endpointFor('https://hooks.example.com/behind', 0n))).endpoint;
    caughtUp = (await endpoints.create(endpointFor('https://hooks.example.com/caught-up', head))).endpoint;
    disabled = (await endpoints.create(endpointFor('https://hooks.example.com/disabled', head - 1n))).endpoint;
    await endpoints.disable(disabled.id, undefined);
    // Totals as delivery leaves them.
    await app.database.pool.query('update webhooks.endpoints set attempts_total = 7, failures_total = 3 where id = $1', [disabled.id]);
  });
  afterAll(() => app.close());

  it('reports each endpoint\'s lag in events and seconds, its totals and whether it is enabled', async () => {
    const { rows } = await app.database.pool.query<{ recorded_at: Date }>('select recorded_at from event_store.events order by position limit 1');
    const firstRecordedMs = rows[0]!.recorded_at.getTime();
    const before = Date.now();

    const metrics = await scrape(app.baseUrl);

    const after = Date.now();
    expect(head).toBe(4n);
    expect(metrics.value(series('wallet_webhook_lag_events', behind))).toBe(4);
    expect(metrics.value(series('wallet_webhook_lag_events', caughtUp))).toBe(0);
    expect(metrics.value(series('wallet_webhook_lag_events', disabled))).toBe(1);
    // The age of the first event after the cursor: for `behind`, the log's first event.
    const behindSeconds = metrics.value(series('wallet_webhook_lag_seconds', behind))!;
    expect(behindSeconds).toBeGreaterThanOrEqual((before - firstRecordedMs) / 1000 - 0.01);
    expect(behindSeconds).toBeLessThanOrEqual((after - firstRecordedMs) / 1000 + 0.01);
    expect(metrics.value(series('wallet_webhook_lag_seconds', caughtUp))).toBe(0);
    expect(metrics.value(series('wallet_webhook_lag_seconds', disabled))).toBeGreaterThan(0);

    expect(metrics.value(series('wallet_webhook_enabled', behind))).toBe(1);
    expect(metrics.value(series('wallet_webhook_enabled', disabled))).toBe(0);
    expect(metrics.value(series('wallet_webhook_attempts_total', disabled))).toBe(7);
    expect(metrics.value(series('wallet_webhook_failures_total', disabled))).toBe(3);
    expect(metrics.value(series('wallet_webhook_attempts_total', behind))).toBe(0);
    expect(metrics.value('wallet_webhook_endpoints{status="enabled"}')).toBe(2);
    expect(metrics.value('wallet_webhook_endpoints{status="disabled"}')).toBe(1);
    expect(metrics.text).toContain('# TYPE wallet_webhook_attempts_total counter');
  });

  it('follows a replay at the next scrape', async () => {
    await new WebhookEndpointStore(app.database.pool).replay(caughtUp.id, undefined, 1n);

    const metrics = await scrape(app.baseUrl);

    expect(metrics.value(series('wallet_webhook_lag_events', caughtUp))).toBe(3);
    expect(metrics.value(series('wallet_webhook_lag_seconds', caughtUp))).toBeGreaterThan(0);
  });

  it('still answers when the endpoints cannot be read: lags unknown (NaN), totals left out', async () => {
    const blocker = new Client({ connectionString: app.database.url });
    await blocker.connect();
    let metrics: Awaited<ReturnType<typeof scrape>>;
    try {
      await blocker.query('begin');
      await blocker.query('lock table webhooks.endpoints in access exclusive mode');
      metrics = await scrape(app.baseUrl);
    } finally {
      await blocker.query('rollback');
      await blocker.end();
    }

    expect(metrics.value(series('wallet_webhook_lag_events', behind))).toBeNaN();
    expect(metrics.value(series('wallet_webhook_lag_seconds', behind))).toBeNaN();
    expect(metrics.value('wallet_webhook_endpoints{status="enabled"}')).toBeNaN();
    expect(metrics.value(series('wallet_webhook_attempts_total', disabled))).toBeUndefined();
    // The rest of the scrape is unharmed.
    expect(metrics.value('wallet_projector_lag_events')).toBe(4);
    expect((await scrape(app.baseUrl)).value(series('wallet_webhook_attempts_total', disabled))).toBe(7);
  });
});
