import { type HttpResult, get } from './http';
import type { TestApp } from './test-app';

/**
 * Settings for specs of the read side: a fast projector poll (its LISTEN connection starts
 * lazily, so the very first append may wait one poll) and a short read-your-writes wait.
 */
export const READ_SIDE_ENV = { PROJECTOR_POLL_MS: '20', READ_MODEL_WAIT_MS: '200' } as const;

const READ_YOUR_WRITES_PATIENCE_MS = 15_000;

/**
 * GET `path` once the read model has reached `position`, retrying on 503 READ_MODEL_BEHIND as
 * a client honouring Retry-After would: on a loaded machine the projector (or the log's
 * visibility horizon, held back by transactions of other test databases) can take longer
 * than the short server-side wait these specs configure.
 */
export async function getAfter<T = any>(app: TestApp, path: string, position: string | bigint, headers?: Record<string, string>): Promise<HttpResult<T>> {
  const url = `${path}${path.includes('?') ? '&' : '?'}minPosition=${position}`;
  const deadline = Date.now() + READ_YOUR_WRITES_PATIENCE_MS;
  for (;;) {
    const result = await get<T>(app.baseUrl, url, headers);
    const behind = result.status === 503 && (result.body as { code?: string } | undefined)?.code === 'READ_MODEL_BEHIND';
    if (!behind || Date.now() > deadline) return result;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The last position of the event log, as /health/ready reports it (whichever the event store). */
export async function logHead(app: TestApp): Promise<bigint> {
  const ready = await get<{ checks: { projector: { headPosition: string } } }>(app.baseUrl, '/health/ready');
  return BigInt(ready.body.checks.projector.headPosition);
}
