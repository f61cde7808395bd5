import type { Pool, PoolClient } from 'pg';

/**
 * Runs `work` in a transaction on a client of its own. While the client is checked out it
 * has an error listener (pg emits connection errors on it, and an unheard 'error' event
 * would end the process), and a client whose connection or rollback failed is destroyed
 * instead of going back to the pool in an unknown state.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error): void => {
    broken = error;
  };
  client.on('error', onError);
  try {
    return await inTransactionOn(client, () => work(client), (rollbackError) => {
      broken ??= rollbackError;
    });
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}

/**
 * Runs `work` in a transaction on a client the caller holds: commits what it did, or rolls
 * back and rethrows its error. A failed rollback is handed to `rollbackFailed` (the client
 * is then in an unknown state) instead of hiding the error that caused it.
 */
export async function inTransactionOn<T>(client: PoolClient, work: () => Promise<T>, rollbackFailed: (error: Error) => void): Promise<T> {
  try {
    await client.query('begin');
    const result = await work();
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(rollbackFailed);
    throw error;
  }
}
