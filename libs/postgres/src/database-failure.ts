/**
 * What kind of passing trouble a database error shows, if any: the database (or the way to
 * it) cannot serve right now, and the same statement may well succeed later. Anything else
 * (a constraint, a syntax error, bad data) says something about the work itself.
 */
export type DatabaseFailure = 'connection' | 'shutdown' | 'read-only' | 'resources' | 'conflict' | 'canceled';

/** SQLSTATE classes, then single codes, by the kind of failure they report. */
const BY_SQLSTATE_CLASS: Readonly<Record<string, DatabaseFailure>> = {
  '08': 'connection', // connection exception
  '40': 'conflict', // transaction rollback: serialization failure, deadlock
  '53': 'resources', // insufficient resources: disk full, out of memory, too many connections
  '58': 'resources', // system error: I/O error
};
const BY_SQLSTATE: Readonly<Record<string, DatabaseFailure>> = {
  '25006': 'read-only', // read_only_sql_transaction: a standby, or default_transaction_read_only
  '55P03': 'conflict', // lock_not_available
  '57014': 'canceled', // query_canceled: a statement timeout
  '57P01': 'shutdown', // admin_shutdown
  '57P02': 'shutdown', // crash_shutdown
  '57P03': 'shutdown', // cannot_connect_now: starting up or shutting down
  '57P05': 'shutdown', // idle_session_timeout
};
/** Socket errors of the way to the server. */
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/**
 * pg's own errors for a connection lost under a client carry no SQLSTATE (no server sent
 * one), so these few are known by their words: a dropped connection, a connect that timed
 * out, a client reused after its connection failed.
 */
const PG_CLIENT_CONNECTION_ERROR = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended)/;

/** The kind of passing database trouble `error` reports, or undefined when it is not one. */
export function databaseFailure(error: unknown): DatabaseFailure | undefined {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (/^[0-9A-Z]{5}$/.test(code)) return BY_SQLSTATE[code] ?? BY_SQLSTATE_CLASS[code.slice(0, 2)];
    if (NETWORK_CODES.has(code)) return 'connection';
  }
  return typeof message === 'string' && PG_CLIENT_CONNECTION_ERROR.test(message) ? 'connection' : undefined;
}

/** True when retrying later may well succeed: see databaseFailure. */
export const isPassingDatabaseFailure = (error: unknown): boolean => databaseFailure(error) !== undefined;
