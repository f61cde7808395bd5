import { existsSync } from 'node:fs';
import { createBenchDatabase } from './bench-database';
import { type ChildService, startChildProcess, startChildService } from './child-service';

export interface BenchServer {
  readonly baseUrl: string;
  readonly databaseUrl: string;
  readonly postgresVersion: string;
  /** The API's process id. */
  readonly pid: number;
  /** The projector's process id; undefined when it runs inside the API (BENCH_PROJECTOR_IN_PROCESS=true). */
  readonly projectorPid: number | undefined;
  stop(): Promise<void>;
}

export type BenchApi = ChildService;

const API_ENTRY = 'dist/apps/wallet-api/main.js';
const PROJECTOR_ENTRY = 'dist/apps/projector/main.js';
const BARE_INSERT_ENTRY = 'bench/support/bare-insert-server.ts';
const LEDGER_FLOOR_ENTRY = 'bench/support/ledger-floor-server.ts';
/** The admin key the benches' API is started with; the rate limit is lifted so it never throttles a bench. */
export const BENCH_API_KEY = 'wsk_bench-admin-key-0123456789abcdefghijklmnopq';
const BENCH_RATE_LIMIT_PER_SECOND = '1000000';

/** The API's database pool in benches; the floor servers get the same. */
export const BENCH_POOL_MAX = 32;

/**
 * A durable PostgreSQL (fsync on: the embedded one under .data/bench, or DATABASE_URL's
 * server), a fresh database on it, and the built API running in a process of its own;
 * `env` goes to the API and the projector alike.
 */
export async function startBenchServer(port = 3099, env: Record<string, string> = {}): Promise<BenchServer> {
  assertBuilt();
  const database = await createBenchDatabase();
  try {
    // As deployed (docs/deployment.md): the projector in a process of its own, unless
    // BENCH_PROJECTOR_IN_PROCESS=true asks for npm start's single process.
    const inProcess = process.env['BENCH_PROJECTOR_IN_PROCESS'] === 'true';
    const api = await startBenchApi(database.url, port, { ...env, PROJECTOR_IN_PROCESS: String(inProcess) });
    const projector = inProcess ? undefined : startChildProcess([PROJECTOR_ENTRY], { DATABASE_URL: database.url, LOG_LEVEL: 'warn', ...env });
    return {
      baseUrl: api.baseUrl,
      databaseUrl: database.url,
      postgresVersion: database.postgresVersion,
      pid: api.pid,
      projectorPid: projector?.pid,
      stop: async () => {
        await api.stop();
        await projector?.stop();
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

/** The built API (projector in-process unless `env` says otherwise) on `databaseUrl`, ready. */
export async function startBenchApi(databaseUrl: string, port = 3099, env: Record<string, string> = {}): Promise<BenchApi> {
  assertBuilt();
  // BENCH_API_NODE_ARGS passes flags to the API's Node, e.g. "--cpu-prof --cpu-prof-dir=bench/profiles".
  const nodeArgs = (process.env['BENCH_API_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  // BENCH_API_ENV sets variables of the API process over the benches' defaults, e.g. "MAX_IN_FLIGHT=1000000".
  const extraEnv = envPairs(process.env['BENCH_API_ENV'] ?? '');
  return startChildService({
    name: 'The API',
    args: [...nodeArgs, API_ENTRY],
    env: {
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      DB_POOL_MAX: String(BENCH_POOL_MAX),
      ADMIN_API_KEY: BENCH_API_KEY,
      RATE_LIMIT_PER_SECOND: BENCH_RATE_LIMIT_PER_SECOND,
      ...extraEnv,
      // The scenario's own settings (the topology, a compared API's variables) win.
      ...env,
    },
    port,
    readyPath: '/health/ready',
  });
}

/**
 * The bare insert server (bench/support/bare-insert-server.ts) on `databaseUrl`, in a
 * process of its own: the floor of a durable HTTP write on the same PostgreSQL.
 */
export function startBareInsertServer(databaseUrl: string, port = 3098): Promise<ChildService> {
  return startBareServer('The bare insert server', BARE_INSERT_ENTRY, databaseUrl, port);
}

/**
 * The ledger floor server (bench/support/ledger-floor-server.ts) on `databaseUrl`, in a
 * process of its own: the floor of a durable transfer on the same PostgreSQL.
 */
export function startLedgerFloorServer(databaseUrl: string, port = 3095): Promise<ChildService> {
  return startBareServer('The ledger floor server', LEDGER_FLOOR_ENTRY, databaseUrl, port);
}

/** A floor server run from its TypeScript source, with the API's pool size. */
function startBareServer(name: string, entry: string, databaseUrl: string, port: number): Promise<ChildService> {
  return startChildService({
    name,
    args: ['--import', 'tsx', entry],
    env: { DATABASE_URL: databaseUrl, DB_POOL_MAX: String(BENCH_POOL_MAX) },
    port,
    readyPath: '/health/ready',
  });
}

/** "A=1 B=2" as { A: '1', B: '2' }. */
export function envPairs(pairs: string): Record<string, string> {
  return Object.fromEntries(
    pairs
      .split(' ')
      .filter((pair) => pair.includes('='))
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
}

function assertBuilt(): void {
  if (!existsSync(API_ENTRY)) throw new Error(`${API_ENTRY} is missing: run npm run build first.`);
}
