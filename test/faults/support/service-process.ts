import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { TEST_ADMIN_KEY } from '../../support/http';

const ROOT = join(__dirname, '..', '..', '..');
/** Compiles the TypeScript sources as Nest needs them (decorator metadata) and resolves @wallet/*. */
const LOADER = join(ROOT, 'scripts', 'support', 'register-typescript.cjs');
const MAIN = { 'wallet-api': 'apps/wallet-api/src/main.ts', projector: 'apps/projector/src/main.ts' } as const;

export type ServiceApp = keyof typeof MAIN;

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** One of the service's own processes, started from source as `npm start` starts the build. */
export interface ServiceProcess {
  readonly child: ChildProcess;
  /** http://127.0.0.1:<port> for the API; empty for the projector. */
  readonly baseUrl: string;
  readonly exited: Promise<Exit>;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  kill(signal: NodeJS.Signals): void;
  /** SIGKILL, then waits for the exit. */
  crash(): Promise<Exit>;
}

export interface ServiceProcessOptions {
  readonly app: ServiceApp;
  readonly databaseUrl: string;
  readonly env?: Record<string, string>;
  /** How long the API may take to answer /health/live. */
  readonly startTimeoutMs?: number;
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Starts the API or the projector as a process of its own on the given database, with the
 * test admin key, and (for the API) waits until it answers /health/live.
 */
export async function startServiceProcess(options: ServiceProcessOptions): Promise<ServiceProcess> {
  const port = options.app === 'wallet-api' ? await freePort() : 0;
  const env = {
    ...process.env,
    DATABASE_URL: options.databaseUrl,
    ADMIN_API_KEY: TEST_ADMIN_KEY,
    AUTH_FAILURES_PER_MINUTE: '1000000',
    LOG_LEVEL: 'warn',
    PORT: String(port),
    HOST: '127.0.0.1',
    ...options.env,
  };
  const child = spawn(process.execPath, ['-r', LOADER, join(ROOT, MAIN[options.app])], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const baseUrl = options.app === 'wallet-api' ? `http://127.0.0.1:${port}` : '';
  const service: ServiceProcess = {
    child,
    baseUrl,
    exited,
    output: () => output,
    kill: (signal) => void child.kill(signal),
    crash: async () => {
      child.kill('SIGKILL');
      return exited;
    },
  };
  if (options.app === 'wallet-api') await waitUntilLive(service, options.startTimeoutMs ?? 30_000);
  return service;
}

async function waitUntilLive(service: ServiceProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exit: Exit | undefined;
  void service.exited.then((value) => (exit = value));
  while (Date.now() < deadline) {
    if (exit) throw new Error(`the API exited (${JSON.stringify(exit)}) before it answered:\n${service.output()}`);
    const live = await fetch(`${service.baseUrl}/health/live`).then((response) => response.ok).catch(() => false);
    if (live) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  service.child.kill('SIGKILL');
  throw new Error(`the API did not answer /health/live within ${timeoutMs} ms:\n${service.output()}`);
}
