import { Client } from 'pg';
import { cli } from '../../support/cli';

/** The read model's checkpoint and the last position in the log, read straight from the database. */
export async function readModelProgress(databaseUrl: string): Promise<{ checkpoint: bigint; head: bigint }> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ checkpoint: string | null; head: string | null }>(
      `select (select position from read_model.projection_checkpoints where name = 'read_model') as checkpoint,
              (select max(position) from event_store.events) as head`,
    );
    return { checkpoint: BigInt(rows[0]!.checkpoint ?? 0), head: BigInt(rows[0]!.head ?? 0) };
  } finally {
    await client.end();
  }
}

/** Waits until the read model holds every event in the log; returns how long that took. */
export async function untilCaughtUp(databaseUrl: string, timeoutMs: number): Promise<number> {
  const start = Date.now();
  for (;;) {
    const { checkpoint, head } = await readModelProgress(databaseUrl);
    if (checkpoint >= head) return Date.now() - start;
    if (Date.now() - start > timeoutMs) throw new Error(`the read model stayed at ${checkpoint} of ${head} for ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export interface Settled {
  /** How long the read model took to hold every event, from the call. */
  readonly caughtUpMs: number;
  readonly verify: { readonly code: number | null; readonly stdout: string; readonly stderr: string };
}

/**
 * After the harm: the read model catches up with the log within `timeoutMs`, then `verify`
 * (the operator's own check, as a process of its own) folds the log again and compares.
 */
export async function settledReadModel(databaseUrl: string, timeoutMs = 60_000): Promise<Settled> {
  const caughtUpMs = await untilCaughtUp(databaseUrl, timeoutMs);
  const verify = await cli(['verify'], { DATABASE_URL: databaseUrl }).done;
  return { caughtUpMs, verify };
}
