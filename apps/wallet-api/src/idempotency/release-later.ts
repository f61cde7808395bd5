import type { IdempotencyStore } from '@wallet/event-store';

/** Pause between attempts to release a key while the database is away. */
const RETRY_MS = 1_000;

/**
 * Keeps trying to release a key whose request failed while the database could not take the
 * release either, so that the retry that follows the outage finds the key free at once. It
 * stops at the lease's end, when the key frees itself anyway; should the process die first,
 * its owner lock goes with it and the key is taken over at once (see IdempotencyOwner).
 */
export function releaseLater(store: Pick<IdempotencyStore, 'release'>, held: { scope: string; key: string; token: string }, leaseMs: number): void {
  const deadline = Date.now() + leaseMs;
  const attempt = (): void => {
    store.release(held.scope, held.key, held.token).catch(() => {
      if (Date.now() + RETRY_MS < deadline) setTimeout(attempt, RETRY_MS).unref();
    });
  };
  setTimeout(attempt, RETRY_MS).unref();
}
