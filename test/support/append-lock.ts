import { Client } from 'pg';

/** The event store's append lock (event_store.take_positions): every append takes it first. */
const APPEND_LOCK = 7308611573;

/**
 * Holds the append lock from a connection of its own, so that every append on the database
 * waits, in flight, until the returned function lets go (calling it again does nothing).
 */
export async function blockAppends(databaseUrl: string): Promise<() => Promise<void>> {
  const blocker = new Client({ connectionString: databaseUrl });
  blocker.on('error', () => undefined);
  await blocker.connect();
  await blocker.query('select pg_advisory_lock($1)', [APPEND_LOCK]);
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    await blocker.query('select pg_advisory_unlock($1)', [APPEND_LOCK]);
    await blocker.end();
  };
}
