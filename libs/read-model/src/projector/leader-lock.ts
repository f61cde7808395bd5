import type { Pool } from 'pg';
import { leaderLockKey } from './checkpoints';

const LEADER_RETRY_MS = 1_000;

export interface LeaderLock {
  /** Unlocks and gives the connection back. */
  release(): Promise<void>;
}

/**
 * Holds the leader lock of `schema` on a connection of its own; waits while another projector
 * holds it. Undefined if the signal aborts first. Should the connection drop, the lock goes
 * with it and a second projector may start; that costs work, not correctness, since every
 * batch locks the checkpoint row and skips what another has applied. So the loss is logged,
 * not fatal.
 */
export async function becomeLeader(pool: Pool, schema: string, signal: AbortSignal, log: (message: string) => void): Promise<LeaderLock | undefined> {
  const client = await pool.connect();
  let lost: Error | undefined;
  const onError = (error: Error): void => {
    lost = error;
    log(`Projector lost its leader connection: ${error.message}`);
  };
  client.on('error', onError);
  const giveBack = (): void => {
    client.off('error', onError);
    client.release(lost);
  };
  const release = async (): Promise<void> => {
    await client.query('select pg_advisory_unlock(hashtext($1))', [leaderLockKey(schema)]).catch(() => undefined);
    giveBack();
  };
  try {
    while (!signal.aborted) {
      const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock(hashtext($1)) as locked', [leaderLockKey(schema)]);
      if (rows[0]!.locked) return { release };
      await new Promise((resolve) => setTimeout(resolve, LEADER_RETRY_MS));
    }
  } catch (error) {
    giveBack();
    throw error;
  }
  giveBack();
  return undefined;
}
