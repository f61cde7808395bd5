import { isPassingDatabaseFailure } from '@wallet/postgres';

/** The KurrentDB client's command errors that say the server could not serve right now. */
const TRANSIENT_KURRENTDB = /^(unavailable|deadline-exceeded|timeout|not-leader|cancelled)$/;

/** An error that says nothing about the events: trying again later may well succeed. */
export function isTransient(error: unknown): boolean {
  if (isPassingDatabaseFailure(error)) return true;
  const { type } = (error ?? {}) as { type?: unknown };
  return typeof type === 'string' && TRANSIENT_KURRENTDB.test(type);
}

const TRANSIENT_PAUSE_MAX_MS = 5_000;

/** The pause before the n-th retry of passing trouble: doubling from 200 ms, at most 5 s. */
export function transientPauseMs(attempt: number): number {
  return Math.min(TRANSIENT_PAUSE_MAX_MS, 100 * 2 ** Math.min(Math.max(attempt, 1), 6));
}

/** Waits `ms`, or less if the signal aborts first. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
