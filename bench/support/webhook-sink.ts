import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a sink saw of one endpoint. */
export interface SinkEndpoint {
  /** Every delivered position, in arrival order (a batch sent twice shows twice). */
  readonly positions: bigint[];
  /** Per event: milliseconds from its recordedAt to its arrival here. */
  readonly lagsMs: number[];
  batches: number;
  firstAt: number | undefined;
  lastAt: number | undefined;
}

export interface WebhookSink {
  readonly url: string;
  endpoint(id: string): SinkEndpoint;
  close(): Promise<void>;
}

/**
 * The receiver of the webhook bench: answers 204 at once, and keeps per endpoint the
 * positions it got and how long after being recorded each event arrived. It does not verify
 * signatures (the specs do); it parses the body to read the positions.
 */
export async function startWebhookSink(): Promise<WebhookSink> {
  const endpoints = new Map<string, SinkEndpoint>();
  const of = (id: string): SinkEndpoint => {
    let entry = endpoints.get(id);
    if (!entry) endpoints.set(id, (entry = { positions: [], lagsMs: [], batches: 0, firstAt: undefined, lastAt: undefined }));
    return entry;
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const arrivedAt = Date.now();
      response.writeHead(204).end();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { endpointId: string; items: Array<{ position: string; recordedAt: string }> };
      const entry = of(body.endpointId);
      entry.batches += 1;
      entry.firstAt ??= arrivedAt;
      entry.lastAt = arrivedAt;
      for (const item of body.items) {
        entry.positions.push(BigInt(item.position));
        entry.lagsMs.push(arrivedAt - Date.parse(item.recordedAt));
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    endpoint: of,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
