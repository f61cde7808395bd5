import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OWNER_FILE, claimOwnership, isSameProcess, parseStartTime, releaseOwnership } from './embedded-owner';

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
    expect(claimOwnership(dir, 'wallet-api')).toBeUndefined();
    expect(JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')).pid).toBe(process.pid);
  });

  it('stays with a live owner', () => {
    // The parent of this test process is alive and is not this process.
    writeFileSync(join(dir, OWNER_FILE), JSON.stringify({ pid: process.ppid, app: 'wallet-api' }));
    expect(claimOwnership(dir, 'projector')).toEqual({ pid: process.ppid, app: 'wallet-api' });
    // Only the owner gives it up: this process releasing it changes nothing.
    releaseOwnership(dir);
    expect(claimOwnership(dir, 'projector')).toEqual({ pid: process.ppid, app: 'wallet-api' });
  });

  it('is taken over from a live pid that another process reused (another start time)', () => {
    writeFileSync(join(dir, OWNER_FILE), JSON.stringify({ pid: process.ppid, app: 'wallet-api', startTime: '1' }));
    expect(claimOwnership(dir, 'wallet-api')).toBeUndefined();
    expect(JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')).pid).toBe(process.pid);
  });

  it('records the start time of its owner', () => {
    expect(claimOwnership(dir, 'wallet-api')).toBeUndefined();
    const recorded = JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8'));
    if (process.platform === 'linux') expect(recorded.startTime).toBe(parseStartTime(readFileSync('/proc/self/stat', 'utf8')));
    else expect(recorded.startTime).toBeUndefined();
  });
});

describe('the start time of a process', () => {
  it('is field 22 of /proc/<pid>/stat', () => {
    const stat = '14642 (cat) R 14598 14598 9385 0 -1 4194304 101 0 0 0 0 0 0 0 20 0 1 0 755507 3133440 409 18446744073709551615 0 0';
    expect(parseStartTime(stat)).toBe('755507');
  });

  it('is counted after a command name holding spaces and parentheses', () => {
    const stat = '77 (node (x) y) S 1 77 77 0 -1 4194560 5 0 0 0 1 2 0 0 20 0 11 0 98765 1000 20 18446744073709551615 0';
    expect(parseStartTime(stat)).toBe('98765');
  });

  it('is unknown in a text that is not a stat line', () => {
    expect(parseStartTime('')).toBeUndefined();
    expect(parseStartTime('12 (short) R 1 2')).toBeUndefined();
  });
});

describe('whether the owner file names a process that still runs', () => {
  const owner = { pid: 42, app: 'wallet-api', startTime: '1000' };
  it('is no when the pid is dead', () => expect(isSameProcess(owner, false, undefined)).toBe(false));
  it('is yes when the pid lives with the recorded start time', () => expect(isSameProcess(owner, true, '1000')).toBe(true));
  it('is no when the pid lives with another start time (reused)', () => expect(isSameProcess(owner, true, '2000')).toBe(false));
  it('falls back to the pid alone when either start time is unknown', () => {
    expect(isSameProcess({ pid: 42, app: 'wallet-api' }, true, '2000')).toBe(true);
    expect(isSameProcess(owner, true, undefined)).toBe(true);
  });
});
