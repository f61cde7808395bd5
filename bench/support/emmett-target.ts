import { isExpectedVersionConflictError } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { Pool } from 'pg';
import { type AppendTarget, countRows, endPool } from './append-targets';

/**
 * Emmett's PostgreSQL event store on a pool of `poolMax` connections of ours (its default
 * pool would have pg's 10), with its schema created up front rather than on first append.
 */
export async function emmettTarget(databaseUrl: string, poolMax: number): Promise<AppendTarget> {
  const pool = new Pool({ connectionString: databaseUrl, max: poolMax });
  const store = getPostgreSQLEventStore(databaseUrl, { connectionOptions: { pool } });
  await store.schema.migrate();
  return {
    name: 'Emmett',
    append: async (stream, count, event) => {
      try {
        // Emmett's stream version counts events: 0n expects a new stream, n expects n events.
        await store.appendToStream(stream, [event], { expectedStreamVersion: BigInt(count) });
        return true;
      } catch (error) {
        if (isExpectedVersionConflictError(error)) return false;
        throw error;
      }
    },
    count: async (stream, known) => {
      // Positions start at 1: reading from known + 1 reads only the events not yet known.
      const read = await store.readStream(stream, { from: BigInt(known + 1) });
      return read.events.length === 0 ? known : Number(read.currentStreamVersion);
    },
    total: () => countRows(pool, 'emt_messages'),
    close: async () => {
      await store.close();
      await endPool(pool);
    },
  };
}
