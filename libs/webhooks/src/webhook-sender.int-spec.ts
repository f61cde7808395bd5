import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebhookUrlRefusedError, checkUrl } from './url-policy';
import { RESPONSE_BYTES_MAX, WebhookSender } from './webhook-sender';

const TIMEOUT_MS = 300;
/** What an attempt may take beyond its timeout on a loaded machine. */
const MARGIN_MS = 700;

interface LocalServer {
  readonly url: string;
  /** Connections accepted and requests handled so far. */
  readonly connections: () => number;
  readonly requests: () => number;
  close(): Promise<void>;
}

/** A node:http server on 127.0.0.1 that answers every request with `answer`. */
async function localServer(answer: (request: IncomingMessage, response: ServerResponse) => void): Promise<LocalServer> {
  let connections = 0;
  let requests = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((request, response) => {
    requests += 1;
    // The whole request body first, as a receiver reads it.
    request.resume();
    request.on('end', () => answer(request, response));
  });
  server.on('connection', (socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    connections: () => connections,
    requests: () => requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('WebhookSender against local HTTP servers', () => {
  const sender = new WebhookSender(true);
  const servers: LocalServer[] = [];
  const serve = async (answer: (request: IncomingMessage, response: ServerResponse) => void): Promise<LocalServer> => {
    const server = await localServer(answer);
    servers.push(server);
    return server;
  };
  const post = (url: string, timeoutMs = TIMEOUT_MS, signal?: AbortSignal) =>
    sender.post({ url, headers: { 'webhook-id': 'msg_spec', 'webhook-timestamp': '1', 'webhook-signature': 'v1,x' }, body: '{"items":[]}', timeoutMs, signal });

  afterAll(async () => {
    sender.close();
    await Promise.all(servers.map((server) => server.close()));
  });

  it('a 2xx is a delivery, and the request carries the body and headers', async () => {
    let seen: { headers: IncomingMessage['headers'] } | undefined;
    const noContent = await serve((_, response) => response.writeHead(204).end());
    const capturing = await serve((request, response) => {
      seen = { headers: request.headers };
      response.writeHead(200).end('fine');
    });
    expect(await post(noContent.url)).toMatchObject({ statusCode: 204, error: null });
    const outcome = await post(capturing.url);
    expect(outcome).toMatchObject({ statusCode: 200, error: null });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
    expect(seen?.headers).toMatchObject({ 'webhook-id': 'msg_spec', 'webhook-timestamp': '1', 'webhook-signature': 'v1,x', 'content-type': 'application/json', 'content-length': '12' });
  });

  it('a 500 is a failure with its status', async () => {
    const server = await serve((_, response) => response.writeHead(500).end('broken'));
    expect(await post(server.url)).toMatchObject({ statusCode: 500, error: 'answered 500' });
  });

  it('a 302 is a failure, not followed: the redirect target gets nothing', async () => {
    const target = await serve((_, response) => response.writeHead(204).end());
    const redirecting = await serve((_, response) => response.writeHead(302, { location: target.url }).end());
    expect(await post(redirecting.url)).toMatchObject({ statusCode: 302, error: 'answered 302 (redirects are not followed)' });
    expect(await post(redirecting.url.replace('/hooks', '/other'))).toMatchObject({ error: 'answered 302 (redirects are not followed)' });
    expect(target.connections()).toBe(0);
    expect(redirecting.requests()).toBe(2);
  });

  it('no answer is a timeout error within the timeout and a margin', async () => {
    const server = await serve(() => undefined);
    const started = Date.now();
    const outcome = await post(server.url);
    const tookMs = Date.now() - started;
    expect(outcome).toMatchObject({ statusCode: null, error: `no answer within ${TIMEOUT_MS} ms` });
    expect(tookMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
    expect(tookMs).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
  });

  it('an answer whose body never ends is a timeout too', async () => {
    const server = await serve((_, response) => {
      response.writeHead(200);
      response.write('a little');
    });
    const started = Date.now();
    const outcome = await post(server.url);
    expect(outcome.error).toBe(`no answer within ${TIMEOUT_MS} ms`);
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
  });

  it('a reset connection is a failure said so', async () => {
    const server = await serve((request) => request.socket.destroy());
    expect(await post(server.url)).toMatchObject({ statusCode: null, error: 'connection reset' });
  });

  it('nothing listening is a refused connection', async () => {
    const server = await localServer(() => undefined);
    await server.close();
    expect(await post(server.url)).toMatchObject({ statusCode: null, error: 'connection refused' });
  });

  it('an answer of many MB is read only up to 64 KiB and the post settles at once', async () => {
    const CHUNK = Buffer.alloc(64 * 1024, 'x');
    const CHUNKS_MAX = 512; // 32 MiB
    let written = 0;
    let finished = false;
    const server = await serve((_, response) => {
      response.writeHead(200, { 'content-length': String(CHUNK.length * CHUNKS_MAX) });
      // Writes as fast as the reader takes it: a sender that read it all would get all 32 MiB.
      const pump = (): void => {
        while (written < CHUNKS_MAX) {
          written += 1;
          if (!response.write(CHUNK)) return void response.once('drain', pump);
        }
        finished = true;
        response.end();
      };
      pump();
    });
    const started = Date.now();
    const outcome = await post(server.url, 5_000);
    const tookMs = Date.now() - started;
    expect(outcome).toMatchObject({ statusCode: 200, error: null });
    expect(tookMs).toBeLessThan(1_000);
    // The server could hand over at most what the socket buffers hold beyond what was read.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(finished).toBe(false);
    console.log(`the server handed ${written * CHUNK.length} bytes to its socket before the sender cut it off`);
    expect(written * CHUNK.length).toBeLessThan(CHUNK.length * CHUNKS_MAX);
    expect(RESPONSE_BYTES_MAX).toBe(64 * 1024);
  });

  it('the next post after a big answer still works (the cut connection is not reused)', async () => {
    const server = await serve((_, response) => response.writeHead(204).end());
    expect(await post(server.url)).toMatchObject({ statusCode: 204, error: null });
  });

  it('a stop signal ends the request at once', async () => {
    const server = await serve(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const outcome = await post(server.url, 5_000, controller.signal);
    expect(outcome).toMatchObject({ statusCode: null, error: 'stopped' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  describe('when private URLs are not allowed', () => {
    const strict = new WebhookSender(false);
    afterAll(() => strict.close());

    it.each([
      ['http to a loopback address', (port: number) => `http://127.0.0.1:${port}/hooks`, 'the URL must use https'],
      ['https to a loopback address', (port: number) => `https://127.0.0.1:${port}/hooks`, '127.0.0.1 is not a public address'],
      ['https to a name resolving to loopback', (port: number) => `https://localhost:${port}/hooks`, /^localhost resolves to an address that is not public$/],
    ])('refuses %s without connecting', async (_, url, reason) => {
      const server = await serve((_request, response) => response.writeHead(204).end());
      const port = Number(new URL(server.url).port);
      const outcome = await strict.post({ url: url(port), headers: {}, body: '{}', timeoutMs: TIMEOUT_MS });
      expect(outcome.statusCode).toBeNull();
      expect(outcome.error).toEqual(typeof reason === 'string' ? reason : expect.stringMatching(reason));
      expect(server.connections()).toBe(0);
    });
  });
});

describe('checkUrl (the shape, then DNS)', () => {
  it('refuses a name that resolves to a loopback address unless private URLs are allowed', async () => {
    const refused = await checkUrl('https://localhost/hooks', false).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(WebhookUrlRefusedError);
    expect((refused as WebhookUrlRefusedError).reason).toMatch(/^localhost resolves to an address that is not public$/);
    expect((await checkUrl('http://localhost:8080/hooks', true)).href).toBe('http://localhost:8080/hooks');
  });

  it('refuses by shape before it asks DNS', async () => {
    await expect(checkUrl('http://localhost/hooks', false)).rejects.toMatchObject({ reason: 'the URL must use https' });
    await expect(checkUrl('https://[::1]/hooks', false)).rejects.toMatchObject({ reason: '::1 is not a public address' });
  });
});
