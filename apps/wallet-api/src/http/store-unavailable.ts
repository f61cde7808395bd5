import { type DatabaseFailure, databaseFailure } from '@wallet/postgres';

/** Why a store cannot serve now: PostgreSQL's kinds of passing trouble, or KurrentDB out of reach. */
export type StoreTrouble = DatabaseFailure | 'event-store';

/** What the client is told, and how long it is asked to wait, per kind of trouble. */
const ANSWERS: Readonly<Record<StoreTrouble, { readonly detail: string; readonly retryAfterS: number }>> = {
  connection: { detail: 'The database cannot be reached right now; retry after Retry-After seconds.', retryAfterS: 1 },
  shutdown: { detail: 'The database is restarting; retry after Retry-After seconds.', retryAfterS: 1 },
  'read-only': { detail: 'The database accepts no writes right now; retry after Retry-After seconds.', retryAfterS: 5 },
  // Disk full, out of memory, too many connections: clearing it takes an operator, so wait longer.
  resources: { detail: 'The database is short of resources right now; retry after Retry-After seconds.', retryAfterS: 5 },
  conflict: { detail: 'The database gave up on the request to resolve a conflict; retry after Retry-After seconds.', retryAfterS: 1 },
  canceled: { detail: 'The database took too long to answer; retry after Retry-After seconds.', retryAfterS: 1 },
  'event-store': { detail: 'The event store cannot be reached right now; retry after Retry-After seconds.', retryAfterS: 1 },
};

/** The KurrentDB client's error types that say the server (or its leader) is out of reach for now. */
const KURRENTDB_UNAVAILABLE = new Set(['unavailable', 'deadline-exceeded', 'timeout', 'not-leader']);

/** How deep a chain of `cause`s is searched: a wrapper or two, never a loop. */
const CAUSES_MAX = 3;

/**
 * The passing trouble a store reports with `error`, if any: what a retry later may well get
 * past, as opposed to a fault of the request or of the service. The classification of
 * PostgreSQL's errors is databaseFailure's (by SQLSTATE class); KurrentDB's client tells by
 * the error's `type`. Wrapped errors are recognised through their `cause`.
 */
export function storeTrouble(error: unknown): StoreTrouble | undefined {
  let current = error;
  for (let depth = 0; depth <= CAUSES_MAX && current instanceof Error; depth += 1) {
    const failure = databaseFailure(current);
    if (failure !== undefined) return failure;
    if (isKurrentDbUnavailable(current)) return 'event-store';
    current = current.cause;
  }
  return undefined;
}

export function storeTroubleAnswer(trouble: StoreTrouble): { readonly detail: string; readonly retryAfterS: number } {
  return ANSWERS[trouble];
}

/** Checked by shape, so that this module does not load the KurrentDB client (see createEventStore). */
function isKurrentDbUnavailable(error: Error): boolean {
  const type = (error as { type?: unknown }).type;
  return typeof type === 'string' && KURRENTDB_UNAVAILABLE.has(type) && error.constructor.name.endsWith('Error');
}
