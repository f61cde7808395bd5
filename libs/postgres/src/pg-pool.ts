import { Pool } from 'pg';

/** How big a pool, and how its connections name themselves to the server. */
export interface PoolOptions {
  readonly connectionString: string;
  readonly max: number;
  readonly applicationName: string;
  /** Longest a statement may run before the server cancels it; unset for no limit. */
  readonly statementTimeoutMs?: number;
  /**
   * Longest wait for a connection, whether the pool is exhausted or the server slow to accept
   * one: a bound, so that no request waits forever. Default 10 s.
   */
  readonly connectionTimeoutMs?: number;
  /** Longest the client waits for a query's answer, whatever the server does (frozen, gone); unset for no limit. */
  readonly queryTimeoutMs?: number;
}

/** A bounded pg pool whose idle-client errors are reported instead of crashing the process. */
export function createPool(options: PoolOptions, onError: (error: Error) => void): Pool {
  const pool = new Pool({
    connectionString: options.connectionString,
    max: options.max,
    application_name: options.applicationName,
    ...(options.statementTimeoutMs === undefined ? {} : { statement_timeout: options.statementTimeoutMs }),
    ...(options.queryTimeoutMs === undefined ? {} : { query_timeout: options.queryTimeoutMs }),
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
    idleTimeoutMillis: 30_000,
  });
  pool.on('error', onError);
  return pool;
}
