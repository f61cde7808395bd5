import type { Pool, PoolClient } from 'pg';
import { leaderLockKey } from './checkpoints';
import { isTransient, pause, transientPauseMs } from './transient-errors';

const LEADER_RETRY_MS = 1_000;

export interface LeaderLock {
  /**
   * Aborts when the lock's connection is lost: the lock went with it, and another projector
   * may hold it already. The holder stops writing and takes the lock again.
   */
  readonly lost: AbortSignal;
  /** Unlocks and gives the connection back. */
  release(): Promise<void>;
}

/**
 * Holds the leader lock of `schema` on a connection of its own; waits while another projector
 * holds it. Passing trouble (the database restarting, refusing connections, the connection
 * dropped while waiting) is retried with the pause of `transientPauseMs`, for as long as it
 * lasts; any other error rejects. Undefined if the signal aborts first.
 *
 * Should the connection drop once the lock is held, the lock goes with it: `lost` aborts.
 */
export async function becomeLeader(pool: Pool, schema: string, signal: AbortSignal, log: (message: string) => void): Promise<LeaderLock | undefined> {
  for (let attempt = 1; !signal.aborted; attempt += 1) {
    try {
      const lock = await tryBecomeLeader(pool, schema, signal, log);
      if (lock) log(`Projector holds the leader lock of ${schema}`);
      return lock;
    } catch (error) {
      if (signal.aborted || !isTransient(error)) throw error;
      const pauseMs = transientPauseMs(attempt);
      log(`Projector could not take the leader lock (${(error as Error).message}); trying again in ${pauseMs} ms`);
      await pause(pauseMs, signal);
    }
  }
  return undefined;
}

/** One connection's wait for the lock: rejects if the connection cannot be had or drops. */
async function tryBecomeLeader(pool: Pool, schema: string, signal: AbortSignal, log: (message: string) => void): Promise<LeaderLock | undefined> {
  const client: PoolClient = await pool.connect();
  const lost = new AbortController();
  let held = false;
  const onLost = (error?: Error): void => {
    if (lost.signal.aborted) return;
    lost.abort(error ?? new Error('Connection terminated unexpectedly'));
    if (held) log(`Projector lost its leader connection, and the lock with it: ${error?.message ?? 'connection ended'}`);
  };
  const onError = (error: Error): void => onLost(error);
  const onEnd = (): void => onLost();
  client.on('error', onError);
  client.on('end', onEnd);
  const giveBack = (): void => {
    client.off('error', onError);
    client.off('end', onEnd);
    client.release(lost.signal.aborted ? (lost.signal.reason as Error) : undefined);
  };
  const release = async (): Promise<void> => {
    if (!lost.signal.aborted) await client.query('select pg_advisory_unlock(hashtext($1))', [leaderLockKey(schema)]).catch(() => undefined);
    giveBack();
  };
  try {
    while (!signal.aborted) {
      const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock(hashtext($1)) as locked', [leaderLockKey(schema)]);
      if (rows[0]!.locked) {
        held = true;
        return { lost: lost.signal, release };
      }
      await pause(LEADER_RETRY_MS, signal);
      // A connection that dropped while waiting is given back and another one taken.
      if (lost.signal.aborted) throw lost.signal.reason;
    }
  } catch (error) {
    giveBack();
    throw error;
  }
  giveBack();
  return undefined;
}
