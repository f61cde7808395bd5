import { type ChildProcess, spawn } from 'node:child_process';

/** A server running in a process of its own, so that its CPU and memory are its own. */
export interface ChildService {
  readonly baseUrl: string;
  /** The server's process id, e.g. to read its peak memory from /proc. */
  readonly pid: number;
  stop(): Promise<void>;
}

export interface ChildServiceOptions {
  /** Named in errors. */
  readonly name: string;
  /** Arguments to this Node binary. */
  readonly args: readonly string[];
  readonly env: Record<string, string>;
  readonly port: number;
  /** A GET answering 2xx once the server takes requests. */
  readonly readyPath: string;
}

/** A process of its own without HTTP, e.g. the projector. */
export interface ChildProcessHandle {
  readonly pid: number;
  stop(): Promise<void>;
}

/** Spawns `node <args>`; stopping sends SIGTERM and waits for the exit. */
export function startChildProcess(args: readonly string[], env: Record<string, string>): ChildProcessHandle & { readonly child: ChildProcess } {
  const child = spawn(process.execPath, [...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  return { child, pid: child.pid!, stop: () => stopProcess(child) };
}

/** Spawns `node <args>` listening on `port`, and resolves once `readyPath` answers 2xx. */
export async function startChildService(options: ChildServiceOptions): Promise<ChildService> {
  const baseUrl = `http://127.0.0.1:${options.port}`;
  // A server already there (e.g. another bench run) would pass the readiness check while
  // ours fails to listen, and the load would go to it.
  if (await answers(baseUrl)) throw new Error(`${options.name}: port ${options.port} is taken by another server; is another bench running?`);
  const { child } = startChildProcess(options.args, { PORT: String(options.port), ...options.env });
  try {
    await waitUntilReady(options.name, `${baseUrl}${options.readyPath}`, child);
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  return { baseUrl, pid: child.pid!, stop: () => stopProcess(child) };
}

async function waitUntilReady(name: string, readyUrl: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}.`);
    const ready = await fetch(readyUrl).then((r) => r.ok, () => false);
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${name} did not become ready within 60 s.`);
}

function answers(baseUrl: string): Promise<boolean> {
  return fetch(baseUrl, { signal: AbortSignal.timeout(2_000) }).then(
    () => true,
    () => false,
  );
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
