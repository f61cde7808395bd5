import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** What the receiver does with one request. */
export type ReceiverAnswer = 'ok' | 'fail' | 'hang' | 'reset';

/** One request as the receiver saw it. */
export interface ReceivedBatch {
  readonly webhookId: string;
  readonly endpointId: string;
  readonly positions: bigint[];
  readonly items: Array<{ position: string; streamId: string; type: string }>;
  readonly answer: ReceiverAnswer;
  /** Whether every signature check passed with the secrets the test gave. */
  readonly signatureValid: boolean;
  readonly startedAt: number;
  readonly endedAt: number;
}

export interface WebhookReceiver {
  readonly url: string;
  /** Every request, in the order they arrived. */
  readonly received: ReceivedBatch[];
  /** Pairs of requests for one endpoint that were open at the same time (should stay empty). */
  readonly overlaps: Array<[string, string]>;
  /** How the next request is answered; default always 'ok'. */
  answerWith(choose: (batch: { webhookId: string; positions: bigint[] }) => ReceiverAnswer): void;
  /** Secrets to verify with, per endpoint id (several while a rotated secret is still valid). */
  trust(endpointId: string, secrets: readonly string[]): void;
  /** The batches answered 'ok', their events flattened in arrival order. */
  delivered(endpointId?: string): ReceivedBatch[];
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real HTTP receiver on 127.0.0.1 for webhook specs: verifies each request's Standard
 * Webhooks signature with the `standardwebhooks` package, records what it got and when, and
 * answers as told (2xx, 500, no answer, a reset connection).
 */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedBatch[] = [];
  const overlaps: Array<[string, string]> = [];
  /** Per endpoint, the request last opened; `openRequests`: every request not yet answered or closed. */
  const open = new Map<string, { token: number; webhookId: string; answer: ReceiverAnswer }>();
  const openRequests = new Set<number>();
  let tokens = 0;
  const secrets = new Map<string, readonly string[]>();
  const sockets = new Set<Socket>();
  let choose: (batch: { webhookId: string; positions: bigint[] }) => ReceiverAnswer = () => 'ok';
  let port = 0;
  let server: Server;

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const startedAt = Date.now();
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const parsed = JSON.parse(body) as { endpointId: string; items: ReceivedBatch['items'] };
      const webhookId = String(request.headers['webhook-id']);
      const positions = parsed.items.map((item) => BigInt(item.position));
      const answer = choose({ webhookId, positions });
      const token = (tokens += 1);
      const other = open.get(parsed.endpointId);
      if (other !== undefined && openRequests.has(other.token)) {
        if (other.answer !== 'hang') overlaps.push([other.webhookId, webhookId]);
        // A request left hanging ends when its sender gives up and closes the connection; that close
        // can be read in the same turn of this process's event loop as the sender's next request,
        // and its 'close' event comes at the end of that turn. Judged once the turn is over.
        else setTimeout(() => openRequests.has(other.token) && overlaps.push([other.webhookId, webhookId]), 0);
      }
      open.set(parsed.endpointId, { token, webhookId, answer });
      openRequests.add(token);
      const record = (): void => {
        openRequests.delete(token);
        if (open.get(parsed.endpointId)?.token === token) open.delete(parsed.endpointId);
        received.push({ webhookId, endpointId: parsed.endpointId, positions, items: parsed.items, answer, signatureValid: verify(parsed.endpointId, body, request), startedAt, endedAt: Date.now() });
      };
      if (answer === 'hang') {
        // Never answers; the request ends when the sender gives up (its timeout) and closes.
        request.socket.once('close', record);
        return;
      }
      record();
      if (answer === 'reset') return void request.socket.destroy();
      response.writeHead(answer === 'ok' ? 204 : 500).end();
    });
  };

  const verify = (endpointId: string, body: string, request: IncomingMessage): boolean => {
    const headers = { 'webhook-id': String(request.headers['webhook-id']), 'webhook-timestamp': String(request.headers['webhook-timestamp']), 'webhook-signature': String(request.headers['webhook-signature']) };
    const trusted = secrets.get(endpointId) ?? [];
    if (trusted.length === 0) return false;
    return trusted.every((secret) => {
      try {
        new Webhook(secret).verify(body, headers);
        return true;
      } catch {
        return false;
      }
    });
  };

  const listen = async (): Promise<void> => {
    server = createServer(handle);
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  };
  const stop = async (): Promise<void> => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    open.clear();
    openRequests.clear();
  };
  await listen();

  return {
    get url() {
      return `http://127.0.0.1:${port}/hooks`;
    },
    received,
    overlaps,
    answerWith: (next) => {
      choose = next;
    },
    trust: (endpointId, list) => void secrets.set(endpointId, list),
    delivered: (endpointId) => received.filter((batch) => batch.answer === 'ok' && (endpointId === undefined || batch.endpointId === endpointId)),
    stop,
    start: listen,
    close: stop,
  };
}
