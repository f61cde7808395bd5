import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@wallet/config';
import { createTestDatabase, type TestDatabase } from '@wallet/testing';
import { Agent, type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { Client } from 'pg';
import { stopGracefully } from '../apps/wallet-api/src/admission/graceful-stop';
import { createApp } from '../apps/wallet-api/src/create-app';
import { assertDocumented, recordAppEnvironment } from './support/contract';
import { TEST_ADMIN_KEY, bearer, fundedWallet, get, post } from './support/http';
import { blockAppends } from './support/append-lock';
import { inFlight, untilInFlight } from './support/in-flight';

interface RunningApp {
  readonly app: NestFastifyApplication;
  readonly baseUrl: string;
  readonly database: TestDatabase;
}

async function startApp(env: Record<string, string>): Promise<RunningApp> {
  const database = await createTestDatabase();
  const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: database.url, ADMIN_API_KEY: TEST_ADMIN_KEY, ...env });
  const app = await createApp({ config, databaseUrl: database.url });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  recordAppEnvironment(baseUrl, env);
  return { app, baseUrl, database };
}

async function creditsInLog(databaseUrl: string, walletId: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(`select count(*) as n from event_store.events where type = 'FundsCredited' and data->>'walletId' = $1`, [walletId]);
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

interface RawAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  /** Whether the request went on a connection kept alive from an earlier one. */
  readonly reusedSocket: boolean;
  /** Resolves when the connection the answer came on closes. */
  readonly connectionClosed: Promise<void>;
}

/** A request through node:http, so that which connection it goes on is known. */
function send(agent: Agent, baseUrl: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(`${baseUrl}${path}`, { method, agent, headers: { ...bearer(TEST_ADMIN_KEY), ...(payload ? { 'content-type': 'application/json' } : {}), ...headers } }, (res) => {
      const socket = res.socket;
      const connectionClosed = new Promise<void>((closed) => (socket.destroyed ? closed() : socket.once('close', () => closed())));
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text, reusedSocket: req.reusedSocket, connectionClosed }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** An app for the cases of one describe: started before them, closed and its database dropped after. */
function runningApp(env: Record<string, string>): { current: RunningApp } {
  const running = {} as { current: RunningApp };
  beforeAll(async () => {
    running.current = await startApp(env);
  });
  afterAll(async () => {
    await running.current.app.close();
    await running.current.database.drop();
  });
  return running;
}

const documented = (baseUrl: string, method: string, target: string, answer: RawAnswer) =>
  assertDocumented(baseUrl, { method, target, status: answer.status, header: (name) => answer.headers[name] as string | undefined, text: answer.text });

describe('admission control', () => {
  describe('over MAX_IN_FLIGHT', () => {
    const running = runningApp({ MAX_IN_FLIGHT: '3' });

    it('answers 503 with Retry-After and applies nothing, while health, metrics and open event streams go on', async () => {
      const { baseUrl, database } = running.current;
      const walletId = await fundedWallet(baseUrl, '100');
      const path = `/v1/wallets/${walletId}/transactions`;
      // An open event stream does not hold a slot: the three credits below still fit.
      const stream = new AbortController();
      const streaming = await fetch(`${baseUrl}/v1/events/stream`, { headers: bearer(TEST_ADMIN_KEY), signal: stream.signal });
      expect(streaming.status).toBe(200);

      const unblock = await blockAppends(database.url);
      const held = [1, 2, 3].map((n) => post(baseUrl, path, { type: 'credit', amount: '1' }, { 'idempotency-key': `held-${n}` }));
      await untilInFlight(baseUrl, 3);

      const shed = await post(baseUrl, path, { type: 'credit', amount: '5' }, { 'idempotency-key': 'shed-1' });
      expect(shed.status).toBe(503);
      expect(shed.headers.get('retry-after')).toBe('1');
      expect(shed.body.code).toBe('SERVICE_UNAVAILABLE');
      // A request without a valid key is shed too, before any key lookup.
      expect((await get(baseUrl, '/v1/wallets', { authorization: '' })).status).toBe(503);
      expect((await get(baseUrl, '/health/live')).status).toBe(200);
      expect((await get(baseUrl, '/health/ready')).status).toBe(200);
      expect(await inFlight(baseUrl)).toBe(3);
      expect(await creditsInLog(database.url, walletId)).toBe(1);

      await unblock();
      expect((await Promise.all(held)).map((answer) => answer.status)).toEqual([201, 201, 201]);
      stream.abort();
      await untilInFlight(baseUrl, 0);
      // Nothing was kept under the shed request's key: sent again, it is applied, once.
      const retried = await post(baseUrl, path, { type: 'credit', amount: '5' }, { 'idempotency-key': 'shed-1' });
      expect(retried.status).toBe(201);
      expect(retried.headers.get('idempotency-replayed')).toBeNull();
      expect(await creditsInLog(database.url, walletId)).toBe(5);
      const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
      expect(metrics).toMatch(/^http_requests_shed_total\{reason="overload"\} 2$/m);
      expect(metrics).toMatch(/^http_requests_in_flight_peak 3$/m);
    });
  });

  describe('pipelined requests on a connection the client closes', () => {
    const running = runningApp({ MAX_IN_FLIGHT: '3' });

    it('gives every slot back, so later requests are still admitted', async () => {
      const { baseUrl, database } = running.current;
      const walletId = await fundedWallet(baseUrl, '100');
      const path = `/v1/wallets/${walletId}/transactions`;
      const body = JSON.stringify({ type: 'credit', amount: '1' });
      const unblock = await blockAppends(database.url);
      const { port } = new URL(baseUrl);
      const socket = connect(Number(port), '127.0.0.1');
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      // Three credits on one connection, written at once: the later answers queue behind the first.
      socket.write(
        [1, 2, 3]
          .map(
            (n) =>
              `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TEST_ADMIN_KEY}\r\n` +
              `Content-Type: application/json\r\nIdempotency-Key: pipelined-${n}\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
          )
          .join(''),
      );
      try {
        await untilInFlight(baseUrl, 3);
      } finally {
        socket.destroy();
        await closed;
        await unblock();
      }

      await untilInFlight(baseUrl, 0);
      for (let n = 1; n <= 4; n += 1) {
        const answer = await post(baseUrl, path, { type: 'credit', amount: '1' }, { 'idempotency-key': `later-${n}` });
        expect(answer.status).toBe(201);
      }
      await untilInFlight(baseUrl, 0);
    });
  });

  describe('a request that does not arrive in time', () => {
    const running = runningApp({ REQUEST_TIMEOUT_MS: '1000' });

    it('gets 408 REQUEST_TIMEOUT and a closed connection when its body trickles', async () => {
      const { baseUrl, database } = running.current;
      const walletId = await fundedWallet(baseUrl, '100');
      const path = `/v1/wallets/${walletId}/transactions`;
      const body = JSON.stringify({ type: 'credit', amount: '7' });
      const { port } = new URL(baseUrl);
      const socket = connect(Number(port), '127.0.0.1');
      let received = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (received += chunk));
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TEST_ADMIN_KEY}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      );
      // One byte every 300 ms: the body would take about 8 s.
      const started = Date.now();
      let sent = 0;
      const trickle = setInterval(() => {
        if (sent < body.length - 1 && !socket.destroyed) socket.write(body[sent++]!);
      }, 300);
      await closed;
      clearInterval(trickle);
      const tookMs = Date.now() - started;

      const [head = '', text = ''] = received.split('\r\n\r\n');
      const status = Number(head.split(' ')[1]);
      const headers = new Map(head.split('\r\n').slice(1).map((line) => [line.split(':')[0]!.toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      expect(status).toBe(408);
      expect(headers.get('connection')).toBe('close');
      expect(JSON.parse(text).code).toBe('REQUEST_TIMEOUT');
      await assertDocumented(baseUrl, { method: 'POST', target: path, status, header: (name) => headers.get(name), text });
      // REQUEST_TIMEOUT_MS, plus at most one check interval (1 s), on a shared machine.
      expect(tookMs).toBeGreaterThanOrEqual(900);
      expect(tookMs).toBeLessThan(6_000);
      expect(await creditsInLog(database.url, walletId)).toBe(1);
      await untilInFlight(baseUrl, 0);
    });
  });

  describe('graceful shutdown', () => {
    it('answers a late request on a kept-alive connection 503 with Connection: close, lets the one in flight finish, then stops', async () => {
      const { app, baseUrl, database } = await startApp({});
      let stopped = false;
      try {
        const walletId = await fundedWallet(baseUrl, '100');
        const path = `/v1/wallets/${walletId}/transactions`;
        const agent = new Agent({ keepAlive: true, maxSockets: 1 });
        const first = await send(agent, baseUrl, 'GET', '/health/live');
        expect(first.status).toBe(200);

        const unblock = await blockAppends(database.url);
        const inFlightCredit = post(baseUrl, path, { type: 'credit', amount: '3' }, { 'idempotency-key': 'in-flight' });
        await untilInFlight(baseUrl, 1);
        const stopping = stopGracefully(app).then(() => (stopped = true));

        const late = await send(agent, baseUrl, 'POST', path, { type: 'credit', amount: '9' }, { 'idempotency-key': 'late' });
        expect(late.reusedSocket).toBe(true);
        expect(late.status).toBe(503);
        expect(late.headers['connection']).toBe('close');
        expect(late.headers['retry-after']).toBe('1');
        expect(JSON.parse(late.text).code).toBe('SERVICE_UNAVAILABLE');
        await documented(baseUrl, 'POST', path, late);
        await late.connectionClosed;
        // A new connection is still taken, and answered so, while the credit in flight runs.
        const onNewConnection = await send(new Agent({ keepAlive: true }), baseUrl, 'GET', '/health/ready');
        expect(onNewConnection.status).toBe(503);
        expect(onNewConnection.headers['connection']).toBe('close');
        expect(stopped).toBe(false);

        await unblock();
        const finished = await inFlightCredit;
        expect(finished.status).toBe(201);
        expect(finished.headers.get('connection')).toBe('close');
        await stopping;
        expect(await creditsInLog(database.url, walletId)).toBe(2);
        agent.destroy();
      } finally {
        if (!stopped) await app.close();
        await database.drop();
      }
    });
  });
});
