import { existsSync, readFileSync } from 'node:fs';

/**
 * The peak resident set size of a running process, in MB (10^6 bytes): VmHWM from
 * /proc/<pid>/status, which the kernel keeps for the process's whole life. Null where
 * there is no /proc (not Linux) or the process has gone: read it before stopping it.
 */
export function peakRssMB(pid: number): number | null {
  const path = `/proc/${pid}/status`;
  if (!existsSync(path)) return null;
  const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync(path, 'utf8'));
  return match ? (Number(match[1]) * 1024) / 1e6 : null;
}
