import { type HttpResult, get } from './http';
import type { TestApp } from './test-app';

/**
 * Settings for specs of the read side: a fast projector poll (its LISTEN connection starts
 * lazily, so the very first append may wait one poll) and a short read-your-writes wait.
 */
export const READ_SIDE_ENV = { PROJECTOR_POLL_MS: '20', READ_MODEL_WAIT_MS: '200' } as const;

/** GET `path` once the read model has reached `position`. */
export function getAfter<T = any>(app: TestApp, path: string, position: string | bigint): Promise<HttpResult<T>> {
  return get<T>(app.baseUrl, `${path}${path.includes('?') ? '&' : '?'}minPosition=${position}`);
}

/** The last position of the event log. */
export async function logHead(app: TestApp): Promise<bigint> {
  const { rows } = await app.database.pool.query<{ head: string | null }>('select max(position) as head from event_store.events');
  return BigInt(rows[0]!.head ?? 0);
}
