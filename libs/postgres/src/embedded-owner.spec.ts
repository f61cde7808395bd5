import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OWNER_FILE, claimOwnership, liveOwner, releaseOwnership } from './embedded-owner';

/** A pid that runs no process: above the kernel's default pid_max. */
const DEAD_PID = 4_194_304 + 17;

describe('ownership of the embedded PostgreSQL of a data folder', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'wallet-owner-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is claimed when nobody owns it, and released', () => {
    expect(claimOwnership(dir, 'wallet-api')).toBeUndefined();
    releaseOwnership(dir);
    expect(claimOwnership(dir, 'wallet-api')).toBeUndefined();
  });

  it('is taken over from an owner that died', () => {
    writeFileSync(join(dir, OWNER_FILE), JSON.stringify({ pid: DEAD_PID, app: 'wallet-api' }));
    expect(liveOwner(dir)).toBeUndefined();
    expect(claimOwnership(dir, 'wallet-api')).toBeUndefined();
  });

  it('stays with a live owner', () => {
    // The parent of this test process is alive and is not this process.
    writeFileSync(join(dir, OWNER_FILE), JSON.stringify({ pid: process.ppid, app: 'wallet-api' }));
    expect(liveOwner(dir)).toEqual({ pid: process.ppid, app: 'wallet-api' });
    expect(claimOwnership(dir, 'cli')).toEqual({ pid: process.ppid, app: 'wallet-api' });
    releaseOwnership(dir);
    expect(liveOwner(dir)).toEqual({ pid: process.ppid, app: 'wallet-api' });
  });
});
