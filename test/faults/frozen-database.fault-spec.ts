import { createTestDatabase, type TestDatabase } from '@wallet/testing';
import { type PausableProxy, startPausableProxy } from './support/pausable-proxy';
import { askReady, untilReady } from './support/readiness-watch';
import { type ServiceProcess, startServiceProcess } from './support/service-process';

const ASKS = 6;
/** The check's own deadline is 800 ms; the rest is room for a loaded machine. */
const ANSWER_BOUND_MS = 1_000;
const ANSWER_BOUND_LOADED_MS = 2_000;

/**
 * The API reaches its database through a proxy on loopback that stops forwarding: to the API
 * the database is frozen (as SIGSTOP leaves it: connections open, nothing answers), while the
 * shared test cluster goes on serving the other files.
 */
describe('/health/ready with the database frozen', () => {
  let database: TestDatabase;
  let proxy: PausableProxy;
  let api: ServiceProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    const target = new URL(database.url);
    proxy = await startPausableProxy(target.hostname, Number(target.port));
  });
  afterAll(async () => {
    await api?.crash();
    await proxy.close();
    await database.drop();
  });

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After within a second, and 200 again once the database answers', async () => {
    const viaProxy = new URL(database.url);
    viaProxy.port = String(proxy.port);
    api = await startServiceProcess({ app: 'wallet-api', databaseUrl: viaProxy.toString() });
    await untilReady(api.baseUrl, 30_000);

    proxy.pause();
    const answers = [];
    for (let ask = 0; ask < ASKS; ask += 1) {
      const start = Date.now();
      const response = await fetch(`${api.baseUrl}/health/ready`, { signal: AbortSignal.timeout(10_000) });
      const body = (await response.json()) as { code?: string };
      answers.push({ status: response.status, code: body.code, retryAfter: response.headers.get('retry-after'), tookMs: Date.now() - start });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    proxy.resume();
    const recoveredMs = await untilReady(api.baseUrl, 30_000);
    const after = await askReady(api.baseUrl);

    const took = answers.map((answer) => answer.tookMs).sort((a, b) => a - b);
    console.log(`/health/ready with the database frozen: ${took.join(', ')} ms (${ASKS} asks); 200 again ${recoveredMs} ms after it thawed`);
    for (const answer of answers) expect(answer).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', retryAfter: expect.stringMatching(/^[1-9][0-9]*$/) });
    expect(took[Math.floor(took.length / 2)]).toBeLessThan(ANSWER_BOUND_MS);
    expect(took[took.length - 1]).toBeLessThan(ANSWER_BOUND_LOADED_MS);
    expect(after.status).toBe(200);
  });
});
