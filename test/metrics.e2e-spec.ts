import { assertDocumented, fetchedHeader } from './support/contract';
import { fundedWallet, get } from './support/http';
import { startTestApp, type TestApp } from './support/test-app';

interface Scrape {
  readonly contentType: string | null;
  readonly text: string;
  /** The value of a sample, by its name and labels exactly as exposed (`name{a="b"}`). */
  value(sample: string): number | undefined;
}

async function scrape(baseUrl: string, headers: Record<string, string> = {}): Promise<Scrape> {
  const response = await fetch(`${baseUrl}/metrics`, { headers });
  expect(response.status).toBe(200);
  const text = await response.text();
  await assertDocumented(baseUrl, { method: 'GET', target: '/metrics', status: response.status, header: fetchedHeader(response.headers), text });
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return { contentType: response.headers.get('content-type'), text, value: (sample) => samples.get(sample) };
}

/** Scrapes until `done` holds, at most for `timeoutMs`; returns the last scrape. */
async function scrapeUntil(baseUrl: string, done: (metrics: Scrape) => boolean, timeoutMs = 10_000): Promise<Scrape> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const metrics = await scrape(baseUrl);
    if (done(metrics) || Date.now() > deadline) return metrics;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('GET /metrics', () => {
  // Two applications in one process: each must keep its own registry.
  let app: TestApp;
  let idle: TestApp;

  beforeAll(async () => {
    [app, idle] = await Promise.all([startTestApp(), startTestApp({ env: { PROJECTOR_IN_PROCESS: 'false' } })]);
  });
  afterAll(async () => Promise.all([app.close(), idle.close()]));

  it('times requests by route pattern and counts projected events until the lag is 0', async () => {
    const walletIds = [await fundedWallet(app.baseUrl, '100'), await fundedWallet(app.baseUrl, '250')];
    expect((await get(app.baseUrl, `/v1/no-such-route/${walletIds[0]}`)).status).toBe(404);

    const metrics = await scrapeUntil(app.baseUrl, (m) => m.value('wallet_projector_events_projected_total') === 4 && m.value('wallet_projector_lag_events') === 0);

    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(metrics.value('http_request_duration_seconds_count{method="POST",route="/v1/wallets",status_code="201"}')).toBe(2);
    expect(metrics.value('http_request_duration_seconds_count{method="POST",route="/v1/wallets/:walletId/transactions",status_code="201"}')).toBe(2);
    expect(metrics.value('http_request_duration_seconds_count{method="GET",route="unmatched",status_code="404"}')).toBe(1);
    expect(metrics.value('http_request_duration_seconds_sum{method="POST",route="/v1/wallets",status_code="201"}')).toBeGreaterThan(0);
    // Raw URLs never become labels: one series per route, whatever the ids.
    for (const id of walletIds) expect(metrics.text).not.toContain(id);

    expect(metrics.value('wallet_projector_events_projected_total')).toBe(4);
    expect(metrics.value('wallet_projector_batch_size_events_sum')).toBe(4);
    expect(metrics.value('wallet_projector_batch_size_events_count')).toBeGreaterThanOrEqual(1);
    expect(metrics.value('wallet_projector_batch_size_events_bucket{le="+Inf"}')).toBe(metrics.value('wallet_projector_batch_size_events_count'));
    expect(metrics.value('wallet_projector_lag_events')).toBe(0);
    expect(metrics.value('wallet_projector_lag_seconds')).toBe(0);

    expect(metrics.value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(metrics.value('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('reports the lag of a projector that is not running, in events and seconds', async () => {
    await fundedWallet(idle.baseUrl, '100');
    await fundedWallet(idle.baseUrl, '100');

    const metrics = await scrape(idle.baseUrl);

    expect(metrics.value('wallet_projector_lag_events')).toBe(4);
    expect(metrics.value('wallet_projector_lag_seconds')).toBeGreaterThan(0);
    expect(metrics.value('wallet_projector_events_projected_total')).toBe(0);
    // The other application's requests are not counted here.
    expect(metrics.value('http_request_duration_seconds_count{method="POST",route="/v1/wallets",status_code="201"}')).toBe(2);
  });

  it('answers a GET with an Idempotency-Key and is documented in the OpenAPI document', async () => {
    const metrics = await scrape(app.baseUrl, { 'idempotency-key': 'scrape-1' });
    expect(metrics.text).toContain('# TYPE wallet_projector_lag_seconds gauge');

    const document = await get(app.baseUrl, '/docs/json');
    expect(document.body.paths['/metrics'].get.responses['200'].content).toHaveProperty(['text/plain; version=0.0.4; charset=utf-8']);
  });
});
