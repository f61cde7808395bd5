import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { Client } from 'pg';

/**
 * CPU seconds (user + system) spent so far by the processes of a bench, from
 * /proc/<pid>/stat: each named server's own processes, the PostgreSQL server, and this
 * load-generating process. Two snapshots around a run give what each spent on it.
 */

/** The processes a snapshot reads, by the name the report gives them. */
export interface CpuSources {
  /** Named Node servers, each one or more process ids (e.g. two API processes). */
  readonly servers: Readonly<Record<string, readonly number[]>>;
  /** The postmaster of the database these servers use, if it runs on this machine. */
  readonly postmaster: number | undefined;
}

/** CPU seconds per name; null for a figure that could not be read (no /proc, a process gone). */
export type CpuSnapshot = Readonly<Record<string, number | null>>;

/** The snapshot's names for the two sources that are not servers. */
export const POSTGRES = 'postgres';
export const LOAD_GENERATOR = 'load generator';

/** Whether /proc can be read at all: Linux. */
export const procAvailable = (): boolean => existsSync('/proc/self/stat');

/** What every source has spent so far. */
export function cpuSnapshot(sources: CpuSources): CpuSnapshot {
  const snapshot: Record<string, number | null> = {};
  for (const [name, pids] of Object.entries(sources.servers)) snapshot[name] = sumOrNull(pids.map((pid) => statOf(pid)?.ownSeconds ?? null));
  snapshot[POSTGRES] = postgresSeconds(sources.postmaster);
  const { user, system } = process.cpuUsage();
  snapshot[LOAD_GENERATOR] = (user + system) / 1e6;
  return snapshot;
}

/** What each source spent between two snapshots, in seconds. */
export function cpuSpent(before: CpuSnapshot, after: CpuSnapshot): CpuSnapshot {
  return Object.fromEntries(
    Object.entries(after).map(([name, seconds]) => {
      const earlier = before[name];
      return [name, seconds === null || earlier === null || earlier === undefined ? null : seconds - earlier];
    }),
  );
}

/**
 * The postmaster serving `databaseUrl`: the parent of this connection's backend, if that
 * backend is a PostgreSQL process of this machine (not so for a server elsewhere or in a
 * container of its own).
 */
export async function postmasterOf(databaseUrl: string): Promise<number | undefined> {
  if (!procAvailable()) return undefined;
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
    const backend = rows[0]!.pid;
    const parent = isPostgres(backend) ? statOf(backend)?.parent : undefined;
    return parent !== undefined && isPostgres(parent) ? parent : undefined;
  } finally {
    await client.end();
  }
}

interface ProcStat {
  readonly parent: number;
  /** utime + stime. */
  readonly ownSeconds: number;
  /** cutime + cstime: what its children that have exited and been waited for spent. */
  readonly reapedChildrenSeconds: number;
}

/** Clock ticks per second, the unit of /proc/<pid>/stat's times (100 on Linux). */
const CLOCK_TICKS = clockTicks();

function clockTicks(): number {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
}

function statOf(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Field 2, the command in parentheses, may hold spaces: the fields counted from 3 follow its last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const field = (n: number): number => Number(fields[n - 3]);
  return { parent: field(4), ownSeconds: (field(14) + field(15)) / CLOCK_TICKS, reapedChildrenSeconds: (field(16) + field(17)) / CLOCK_TICKS };
}

/** A process whose command line starts with "postgres" (a server process's title) or runs a postgres binary. */
function isPostgres(pid: number): boolean {
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return false;
  }
  const program = cmdline.split('\0')[0] ?? '';
  return program.startsWith('postgres') || program.endsWith('/postgres');
}

/**
 * The database's CPU: the postmaster's, its backends' and background workers' (all its
 * children), and what its exited children spent (counted in the postmaster once reaped),
 * so that a backend closed during a run is not lost. Without a known postmaster, every
 * PostgreSQL process of the machine.
 */
function postgresSeconds(postmaster: number | undefined): number | null {
  if (!procAvailable()) return null;
  const pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).map(Number);
  if (postmaster === undefined) return sumOrNull(pids.filter(isPostgres).map((pid) => statOf(pid)?.ownSeconds ?? 0));
  const root = statOf(postmaster);
  if (root === undefined) return null;
  const children = pids.map(statOf).filter((stat): stat is ProcStat => stat?.parent === postmaster);
  return root.ownSeconds + root.reapedChildrenSeconds + children.reduce((total, child) => total + child.ownSeconds, 0);
}

function sumOrNull(values: readonly (number | null)[]): number | null {
  return values.length === 0 || values.includes(null) ? null : values.reduce<number>((total, value) => total + value!, 0);
}
