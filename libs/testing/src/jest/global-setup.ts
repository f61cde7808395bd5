import { Client, Pool } from 'pg';
import { allMigrations } from '@wallet/database';
import { type EmbeddedPostgres, migrate, startEmbeddedPostgres } from '@wallet/postgres';
import { TEST_CLUSTER } from './test-cluster';

declare global {
  var __walletTestPostgres: EmbeddedPostgres | undefined;
}

/**
 * Starts a real PostgreSQL for the suite (or uses DATABASE_URL) and builds a template
 * database with every migration applied; every test file clones it into a database of its own.
 */
export default async function globalSetup(): Promise<void> {
  let serverUrl = process.env['DATABASE_URL'];
  if (!serverUrl) {
    const embedded = await startEmbeddedPostgres({
      dataDir: TEST_CLUSTER.dataDir,
      port: 'auto',
      log: () => undefined,
      serverSettings: ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off', '-c max_connections=300'],
    });
    globalThis.__walletTestPostgres = embedded;
    serverUrl = embedded.connectionString;
  }
  process.env[TEST_CLUSTER.urlVariable] = serverUrl;
  await recreateTemplate(serverUrl, (pool) => migrate(pool, allMigrations));
}

async function recreateTemplate(serverUrl: string, migrateTemplate: (pool: Pool) => Promise<unknown>): Promise<void> {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const template = admin.escapeIdentifier(TEST_CLUSTER.templateDatabase);
    await admin.query(`drop database if exists ${template} with (force)`);
    await admin.query(`create database ${template}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${TEST_CLUSTER.templateDatabase}`;
  const pool = new Pool({ connectionString: url.toString(), max: 2 });
  try {
    await migrateTemplate(pool);
  } finally {
    await pool.end();
  }
}
