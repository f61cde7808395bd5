import http from 'node:http';
import https from 'node:https';
import type { AttemptOutcome } from './delivery-store';
import { WebhookUrlRefusedError, checkUrlShape, guardedLookup } from './url-policy';

/** Most bytes of a receiver's answer read; the rest is not waited for. */
export const RESPONSE_BYTES_MAX = 64 * 1024;

export interface WebhookPost {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/**
 * Sends webhook POSTs: no redirect is followed (a 3xx is a failure), every connection's
 * addresses are checked by the URL policy, an answer must come within the timeout, and at most
 * RESPONSE_BYTES_MAX of its body are read. Connections are kept alive between batches.
 */
export class WebhookSender {
  private readonly agents: { 'http:': http.Agent; 'https:': https.Agent };

  constructor(private readonly allowPrivate: boolean) {
    const lookup = guardedLookup(allowPrivate);
    this.agents = { 'http:': new http.Agent({ keepAlive: true, lookup }), 'https:': new https.Agent({ keepAlive: true, lookup }) };
  }

  async post(request: WebhookPost): Promise<AttemptOutcome> {
    const started = performance.now();
    const outcome = (statusCode: number | null, error: string | null): AttemptOutcome => ({ statusCode, error, durationMs: performance.now() - started });
    let url: URL;
    try {
      // Again at every delivery: the operator may have turned private URLs off since.
      url = checkUrlShape(request.url, this.allowPrivate);
    } catch (error) {
      return outcome(null, (error as WebhookUrlRefusedError).reason);
    }
    try {
      const statusCode = await this.send(url, request);
      return outcome(statusCode, statusCode >= 200 && statusCode < 300 ? null : statusText(statusCode));
    } catch (error) {
      return outcome(null, describe(error, request.timeoutMs));
    }
  }

  close(): void {
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }

  private send(url: URL, request: WebhookPost): Promise<number> {
    const transport = url.protocol === 'https:' ? https : http;
    const agent = this.agents[url.protocol as 'http:' | 'https:'];
    return new Promise<number>((resolve, reject) => {
      const outgoing = transport.request(url, {
        method: 'POST',
        agent,
        headers: { ...request.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(request.body) },
        signal: request.signal,
      });
      const timer = setTimeout(() => outgoing.destroy(new TimeoutError()), request.timeoutMs);
      const settle = (finish: () => void): void => {
        clearTimeout(timer);
        finish();
      };
      outgoing.on('error', (error) => settle(() => reject(error)));
      outgoing.on('response', (response) => {
        let bytes = 0;
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          // Enough of an answer: the status is what counts, and a huge body must not hold the delivery.
          if (bytes > RESPONSE_BYTES_MAX) {
            response.destroy();
            settle(() => resolve(response.statusCode ?? 0));
          }
        });
        response.on('end', () => settle(() => resolve(response.statusCode ?? 0)));
        response.on('error', (error) => settle(() => reject(error)));
      });
      outgoing.end(request.body);
    });
  }
}

class TimeoutError extends Error {}

function statusText(statusCode: number): string {
  if (statusCode >= 300 && statusCode < 400) return `answered ${statusCode} (redirects are not followed)`;
  return `answered ${statusCode}`;
}

function describe(error: unknown, timeoutMs: number): string {
  if (error instanceof TimeoutError) return `no answer within ${timeoutMs} ms`;
  if (error instanceof WebhookUrlRefusedError) return error.reason;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNRESET') return 'connection reset';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `DNS lookup failed (${code})`;
  if ((error as Error).name === 'AbortError') return 'stopped';
  return (error as Error).message || String(error);
}
