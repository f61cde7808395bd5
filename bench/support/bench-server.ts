import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createBenchDatabase } from './bench-database';

export interface BenchServer {
  readonly baseUrl: string;
  readonly databaseUrl: string;
  readonly postgresVersion: string;
  stop(): Promise<void>;
}

export interface BenchApi {
  readonly baseUrl: string;
  stop(): Promise<void>;
}

const API_ENTRY = 'dist/apps/wallet-api/main.js';

/**
 * A durable PostgreSQL (fsync on: the embedded one under .data/bench, or DATABASE_URL's
 * server), a fresh database on it, and the built API running in a process of its own.
 */
export async function startBenchServer(port = 3099): Promise<BenchServer> {
  assertBuilt();
  const database = await createBenchDatabase();
  const api = await startBenchApi(database.url, port);
  return {
    baseUrl: api.baseUrl,
    databaseUrl: database.url,
    postgresVersion: database.postgresVersion,
    stop: async () => {
      await api.stop();
      await database.drop();
    },
  };
}

/** The built API (projector in-process unless `env` says otherwise) on `databaseUrl`, ready. */
export async function startBenchApi(databaseUrl: string, port = 3099, env: Record<string, string> = {}): Promise<BenchApi> {
  assertBuilt();
  // BENCH_API_NODE_ARGS passes flags to the API's Node, e.g. "--cpu-prof --cpu-prof-dir=bench/profiles".
  const nodeArgs = (process.env['BENCH_API_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  const api = spawn(process.execPath, [...nodeArgs, API_ENTRY], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), LOG_LEVEL: 'warn', DB_POOL_MAX: '32', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(baseUrl, api);
  } catch (error) {
    await stopProcess(api);
    throw error;
  }
  return { baseUrl, stop: () => stopProcess(api) };
}

function assertBuilt(): void {
  if (!existsSync(API_ENTRY)) throw new Error(`${API_ENTRY} is missing: run npm run build first.`);
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
