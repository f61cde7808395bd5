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
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch((rollbackError: Error) => {
      broken ??= rollbackError;
    });
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}
