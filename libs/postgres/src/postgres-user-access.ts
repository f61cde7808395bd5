import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const OTHERS_MAY_ENTER = 0o001;

/** The embedded server's user cannot reach its binaries or data; the message says what to do. */
export class PostgresUserAccessError extends Error {
  override readonly name = 'PostgresUserAccessError';
}

/**
 * PostgreSQL refuses to run as root, so as root the embedded server runs as the `postgres`
 * user, who must be able to enter every directory above its binaries and its data. A clone
 * under root's own home (mode 700) fails deep inside initdb with `spawn EACCES`; this names
 * the directory and what to do instead, before anything is started.
 */
export function assertPostgresUserCanReach(paths: readonly string[], postgresUid: number | undefined): void {
  for (const path of paths) {
    const blocked = firstClosedAncestor(resolve(path), postgresUid);
    if (blocked === undefined) continue;
    throw new PostgresUserAccessError(
      `The embedded PostgreSQL runs as the user "postgres" (it refuses root), which cannot enter ${blocked.dir} ` +
        `(mode ${blocked.mode}) to reach ${path}. Clone the project under a directory others may enter, ` +
        `run "chmod o+x ${blocked.dir}", or set DATABASE_URL to a PostgreSQL of your own.`,
    );
  }
}

function firstClosedAncestor(path: string, postgresUid: number | undefined): { dir: string; mode: string } | undefined {
  const ancestors: string[] = [];
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    ancestors.unshift(dir);
    if (dirname(dir) === dir) break;
  }
  for (const dir of ancestors) {
    const stats = statSync(dir, { throwIfNoEntry: false });
    if (!stats) return undefined;
    if ((stats.mode & OTHERS_MAY_ENTER) === 0 && stats.uid !== postgresUid) return { dir, mode: (stats.mode & 0o777).toString(8) };
  }
  return undefined;
}
