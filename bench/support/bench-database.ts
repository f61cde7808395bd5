import { Client, Pool, type PoolConfig } from 'pg';
import { PostgresEventStore } from '../../libs/event-store/src';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../libs/postgres/src';

export interface BenchDatabase {
  /** A fresh database of this run's own. */
  readonly url: string;
  readonly postgresVersion: string;
  /** Drops the database, and stops the embedded server if this process started it and no other bench run uses it. */
  drop(): Promise<void>;
}

/**
 * A fresh database on a durable PostgreSQL (fsync on): the embedded one under .data/bench,
 * or DATABASE_URL's server.
 */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  let embedded: EmbeddedPostgres | undefined;
  const serverUrl =
    process.env['DATABASE_URL'] ??
    (embedded = await startEmbeddedPostgres({ dataDir: '.data/bench', port: 'auto', log: () => undefined, serverSettings: ['-c max_connections=200'] }))
      .connectionString;
  const name = `wallet_bench_${Date.now()}`;
  const postgresVersion = await admin(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    postgresVersion,
    drop: async () => {
      await admin(serverUrl, `drop database if exists ${name} with (force)`);
      // Bench runs started meanwhile use the server this one started: the last one out stops it.
      if (embedded !== undefined && !(await benchDatabasesRemain(serverUrl))) await embedded.stop();
    },
  };
}

async function admin(serverUrl: string, sql: string): Promise<string> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
    const { rows } = await client.query<{ server_version: string }>('show server_version');
    return rows[0]!.server_version;
  } finally {
    await client.end();
  }
}

async function benchDatabasesRemain(serverUrl: string): Promise<boolean> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query("select 1 from pg_database where datname like 'wallet\\_bench\\_%' limit 1");
    return rows.length > 0;
  } finally {
    await client.end();
  }
}

/** A pool of `poolMax` connections and an event store on `databaseUrl` for `work`, both closed after it. */
export async function withEventStore<T>(
  databaseUrl: string,
  poolMax: number,
  work: (pool: Pool, store: PostgresEventStore) => Promise<T>,
  poolOptions: PoolConfig = {},
): Promise<T> {
  const pool = new Pool({ connectionString: databaseUrl, max: poolMax, ...poolOptions });
  const store = new PostgresEventStore(pool, { connectionString: databaseUrl });
  try {
    return await work(pool, store);
  } finally {
    await store.close();
    await pool.end();
  }
}
