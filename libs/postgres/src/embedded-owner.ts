import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Who owns the embedded PostgreSQL of a data folder: the process that started it, or that
 * adopted it after its starter died. The owner stops it on exit. A file in DATA_DIR names it
 * (`{"pid":..,"app":".."}`); a pid that no longer runs leaves the server to be adopted.
 */
export interface EmbeddedOwner {
  readonly pid: number;
  /** Which entry point: `wallet-api`, `projector`, `cli`. */
  readonly app: string;
}

export const OWNER_FILE = 'postgres.owner';

/** The live owner of the data folder's server, if any (a stale file says nothing). */
export function liveOwner(dataDir: string): EmbeddedOwner | undefined {
  const owner = readOwner(dataDir);
  return owner && owner.pid !== process.pid && isAlive(owner.pid) ? owner : undefined;
}

/**
 * Makes this process the owner, unless a live one got there first (then returns it). The
 * file is created exclusively, so of two processes starting at once only one owns.
 */
export function claimOwnership(dataDir: string, app: string): EmbeddedOwner | undefined {
  const path = join(dataDir, OWNER_FILE);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const current = readOwner(dataDir);
    if (current && current.pid !== process.pid && isAlive(current.pid)) return current;
    if (current) removeQuietly(path);
    try {
      writeFileSync(path, JSON.stringify({ pid: process.pid, app } satisfies EmbeddedOwner), { flag: 'wx' });
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
    return typeof parsed.pid === 'number' && typeof parsed.app === 'string' ? { pid: parsed.pid, app: parsed.app } : undefined;
  } catch {
    return undefined;
  }
}

/** Signal 0 checks that the pid exists; EPERM means it does, under another user. */
export function isAlive(pid: number): boolean {
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
