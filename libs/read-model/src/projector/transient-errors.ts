import { isPassingDatabaseFailure } from '@wallet/postgres';

/** The KurrentDB client's command errors that say the server could not serve right now. */
const TRANSIENT_KURRENTDB = /^(unavailable|deadline-exceeded|timeout|not-leader|cancelled)$/;

/** An error that says nothing about the events: trying again later may well succeed. */
export function isTransient(error: unknown): boolean {
  if (isPassingDatabaseFailure(error)) return true;
  const { type } = (error ?? {}) as { type?: unknown };
  return typeof type === 'string' && TRANSIENT_KURRENTDB.test(type);
}
