import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { TEST_CLUSTER } from '../jest/test-cluster';

export interface TestDatabase {
  readonly url: string;
  readonly pool: Pool;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/**
 * A fresh database of its own: migrated (cloned from the suite's template), or `empty` for
 * specs that run migrations themselves.
 */
export async function createTestDatabase(poolMax = 20, contents: 'migrated' | 'empty' = 'migrated'): Promise<TestDatabase> {
  const serverUrl = process.env[TEST_CLUSTER.urlVariable];
  if (!serverUrl) throw new Error(`${TEST_CLUSTER.urlVariable} is not set: run the tests through Jest's global setup.`);
  const name = `wallet_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, contents === 'migrated' ? `create database ${name} template ${TEST_CLUSTER.templateDatabase}` : `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const pool = new Pool({ connectionString: url.toString(), max: poolMax });
  // pool.end() resolves before its idle connections are closed; the forced drop below can end
  // them first, and the pool reports that as an error of an idle client. Expected: ignored.
  pool.on('error', () => undefined);
  return {
    url: url.toString(),
    pool,
    drop: async () => {
      await pool.end();
      await adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
    },
  };
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}
