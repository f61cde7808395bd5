import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Client } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../libs/read-model/src/database/embedded-postgres';

export interface BenchServer {
  readonly baseUrl: string;
  readonly databaseUrl: string;
  readonly postgresVersion: string;
  stop(): Promise<void>;
}

const API_ENTRY = 'dist/apps/wallet-api/main.js';

/**
 * A durable PostgreSQL (fsync on: the embedded one under .data/bench, or DATABASE_URL's
 * server), a fresh database on it, and the built API running in a process of its own.
 */
export async function startBenchServer(port = 3099): Promise<BenchServer> {
  if (!existsSync(API_ENTRY)) throw new Error(`${API_ENTRY} is missing: run npm run build first.`);
  let embedded: EmbeddedPostgres | undefined;
  const serverUrl =
    process.env['DATABASE_URL'] ??
    (embedded = await startEmbeddedPostgres({ dataDir: '.data/bench', port: 'auto', log: () => undefined, serverSettings: ['-c max_connections=200'] }))
      .connectionString;
  const name = `wallet_bench_${Date.now()}`;
  const postgresVersion = await admin(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const api = spawn(process.execPath, [API_ENTRY], {
    env: { ...process.env, DATABASE_URL: url.toString(), PORT: String(port), LOG_LEVEL: 'warn', DB_POOL_MAX: '32' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitUntilReady(baseUrl, api);
  return {
    baseUrl,
    databaseUrl: url.toString(),
    postgresVersion,
    stop: async () => {
      await stopProcess(api);
      await admin(serverUrl, `drop database if exists ${name} with (force)`);
      await embedded?.stop();
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

async function waitUntilReady(baseUrl: string, api: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (api.exitCode !== null) throw new Error(`The API exited with code ${api.exitCode}.`);
    const ready = await fetch(`${baseUrl}/health/ready`).then((r) => r.ok, () => false);
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('The API did not become ready within 60 s.');
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
