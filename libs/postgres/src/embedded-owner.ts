import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Who owns the embedded PostgreSQL of a data folder: the process that started it, or that
 * adopted it after its starter died. The owner stops it on exit. A file in DATA_DIR names it
 * (`{"pid":..,"app":"..","startTime":".."}`); a pid that no longer runs, or now runs another
 * process (another start time), leaves the server to be adopted.
 */
export interface EmbeddedOwner {
  readonly pid: number;
  /** Which entry point: `wallet-api`, `projector`. */
  readonly app: string;
  /**
   * When the owner process started, in clock ticks since boot (field 22 of /proc/<pid>/stat),
   * so that a pid reused by another process is not taken for the owner. Absent where /proc is
   * not (the pid alone decides there).
   */
  readonly startTime?: string;
}

export const OWNER_FILE = 'postgres.owner';

/** The live owner of the data folder's server other than this process, if any (a stale file says nothing). */
export function liveOwner(dataDir: string): EmbeddedOwner | undefined {
  const owner = readOwner(dataDir);
  return owner && owner.pid !== process.pid && ownerRuns(owner) ? owner : undefined;
}

/**
 * Makes this process the owner, unless a live one got there first (then returns it). The
 * file is created exclusively, so of two processes starting at once only one owns.
 */
export function claimOwnership(dataDir: string, app: string): EmbeddedOwner | undefined {
  const path = join(dataDir, OWNER_FILE);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const current = readOwner(dataDir);
    if (current && current.pid !== process.pid && ownerRuns(current)) return current;
    if (current) removeQuietly(path);
    try {
      const startTime = processStartTime(process.pid);
      writeFileSync(path, JSON.stringify({ pid: process.pid, app, ...(startTime === undefined ? {} : { startTime }) } satisfies EmbeddedOwner), { flag: 'wx' });
      return undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return readOwner(dataDir);
}

/** Gives ownership up, if this process holds it. */
export function releaseOwnership(dataDir: string): void {
  if (readOwner(dataDir)?.pid === process.pid) removeQuietly(join(dataDir, OWNER_FILE));
}

function readOwner(dataDir: string): EmbeddedOwner | undefined {
  try {
    const parsed = JSON.parse(readFileSync(join(dataDir, OWNER_FILE), 'utf8')) as Partial<EmbeddedOwner>;
    if (typeof parsed.pid !== 'number' || typeof parsed.app !== 'string') return undefined;
    return { pid: parsed.pid, app: parsed.app, ...(typeof parsed.startTime === 'string' ? { startTime: parsed.startTime } : {}) };
  } catch {
    return undefined;
  }
}

/** Whether the process the owner file names still runs: its pid lives, with the start time recorded. */
function ownerRuns(owner: EmbeddedOwner): boolean {
  const alive = isAlive(owner.pid);
  return isSameProcess(owner, alive, alive ? processStartTime(owner.pid) : undefined);
}

/**
 * The decision alone: a live pid is the owner unless both start times are known and differ
 * (the pid was reused after the owner died). Without either, the pid alone decides.
 */
export function isSameProcess(owner: EmbeddedOwner, alive: boolean, startTimeNow: string | undefined): boolean {
  if (!alive) return false;
  if (owner.startTime === undefined || startTimeNow === undefined) return true;
  return owner.startTime === startTimeNow;
}

/** A process's start time from the text of /proc/<pid>/stat: field 22, counted after the parenthesised command name (which may hold spaces and parentheses). */
export function parseStartTime(stat: string): string | undefined {
  const end = stat.lastIndexOf(')');
  if (end < 0) return undefined;
  // Fields 3 onwards follow the name.
  const field = stat.slice(end + 1).trim().split(/\s+/)[22 - 3];
  return field !== undefined && /^\d+$/.test(field) ? field : undefined;
}

/** The start time of a process on Linux; undefined elsewhere, or when it cannot be read. */
function processStartTime(pid: number): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    return parseStartTime(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Signal 0 checks that the pid exists; EPERM means it does, under another user. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone: another process cleared the same stale file.
  }
}
