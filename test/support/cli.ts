import { type ChildProcess, spawn } from 'node:child_process';

export interface CliRun {
  readonly child: ChildProcess;
  readonly done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Runs the CLI from source in one process (so that a kill reaches it) with the given environment. */
export function cli(args: string[], env: Record<string, string>): CliRun {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/cli/src/main.ts', ...args], { env: { ...process.env, LOG_LEVEL: 'silent', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

/** Runs the CLI to its end: its exit code and what it printed. */
export const runCli = (args: string[], env: Record<string, string>): CliRun['done'] => cli(args, env).done;
