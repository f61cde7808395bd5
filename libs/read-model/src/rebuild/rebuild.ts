import type { EventStore } from '@wallet/event-store';
import { inTransaction } from '@wallet/postgres';
import type { Pool, PoolClient } from 'pg';
import { READ_MODEL_PROJECTION, leaderLockKey, swapLockKey } from '../projector/checkpoints';
import { Projector } from '../projector/projector';
import { schemaName } from '../projector/schema-name';

const LIVE = 'read_model';
const NEXT = 'read_model_next';
const OLD = 'read_model_old';
const SWAP_LOCK_TIMEOUT_MS_DEFAULT = 30_000;

export interface RebuildOptions {
  readonly pool: Pool;
  readonly store: EventStore;
  readonly snapshotEvery: number;
  readonly batchSizeMax: number;
  readonly log: (message: string) => void;
  /** After every replayed batch: the position reached and the head of the log. */
  readonly onProgress?: (checkpoint: bigint, head: bigint) => void;
  /** How long the swap waits for the live projector's batch in flight (default 30 s). */
  readonly swapLockTimeoutMs?: number;
  /** Called under the swap lock, just before the renames: specs race the live projector here. */
  readonly beforeRename?: () => Promise<void>;
}

export interface RebuildResult {
  /** The position the new read model had reached when it went live. */
  readonly checkpoint: bigint;
  readonly tables: readonly string[];
}

/**
 * Replays the whole event log into a fresh schema and swaps it in for `read_model` while
 * readers keep reading and the live projector keeps running:
 *
 * 1. Take the leader lock of `read_model_next`, so two rebuilds never share that schema.
 * 2. Create `read_model_next` table by table like `read_model`, checkpoint at 0, and replay
 *    the log into it up to its head, then once more up to the new head; the live model is
 *    untouched meanwhile.
 * 3. In one transaction: take the swap lock of `read_model` exclusively. Every projector
 *    batch holds it shared from its first statement to its commit, so this waits for the
 *    batch in flight and holds off the next one (which cannot have touched a table yet).
 *    Replay the events that came meanwhile (up to the head of the log as it is now, so a
 *    busy log cannot hold the lock long) into `read_model_next`, check it is not behind
 *    the live checkpoint, rename `read_model` to `read_model_old` and `read_model_next` to
 *    `read_model`, commit. Readers switch to the new tables at once; none sees a missing
 *    table or a checkpoint going back.
 * 4. The waiting projector batch now locks the new checkpoint, skips the events the new
 *    model already holds and applies the rest, as do the batches after it. Drop `read_model_old`.
 *
 * The leader lock of `read_model` itself is not taken: the live projector holds it as long
 * as it runs, and the swap must not need it stopped. Archived transactions come back into
 * `transactions` (the replay records every transaction there) until the archive moves them
 * again. A rebuild that fails leaves `read_model_next` (or `read_model_old`) behind, never
 * in the way: the next rebuild drops it first.
 */
export async function rebuildReadModel(options: RebuildOptions): Promise<RebuildResult> {
  const guard = await options.pool.connect();
  try {
    const { rows } = await guard.query<{ locked: boolean }>('select pg_try_advisory_lock(hashtext($1)) as locked', [leaderLockKey(NEXT)]);
    if (!rows[0]!.locked) throw new Error(`Another rebuild holds ${NEXT}.`);
    try {
      await options.pool.query(`drop schema if exists ${OLD} cascade`);
      const tables = await createShadowSchema(options.pool, LIVE, NEXT);
      const head = await options.store.headPosition();
      const projector = replayer(options, head);
      options.log(`Replaying the event log into ${NEXT}`);
      await projector.catchUp(head);
      // The events appended during the replay, so that the swap has only a short tail left.
      await projector.catchUp(await options.store.headPosition());
      const checkpoint = await swapIn(options, projector);
      options.log(`${NEXT} is live as ${LIVE} at position ${checkpoint}; dropping the old read model`);
      await options.pool.query(`drop schema ${OLD} cascade`);
      return { checkpoint, tables };
    } finally {
      await guard.query('select pg_advisory_unlock(hashtext($1))', [leaderLockKey(NEXT)]);
    }
  } finally {
    guard.release();
  }
}

/**
 * Creates `target` (dropping any earlier one) with an empty copy of every table of
 * `source`, indexes, defaults and identities included, and the read model's checkpoint at 0.
 * Returns the table names.
 */
export function createShadowSchema(pool: Pool, source: string, target: string): Promise<string[]> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ table_name: string }>(
      `select table_name from information_schema.tables where table_schema = $1 and table_type = 'BASE TABLE' order by table_name`,
      [schemaName(source)],
    );
    const tables = rows.map((row) => schemaName(row.table_name));
    await client.query(`drop schema if exists ${schemaName(target)} cascade`);
    await client.query(`create schema ${target}`);
    for (const table of tables) await client.query(`create table ${target}.${table} (like ${source}.${table} including all)`);
    await client.query(`insert into ${target}.projection_checkpoints (name, position) values ($1, 0)`, [READ_MODEL_PROJECTION]);
    return tables;
  });
}

function replayer(options: RebuildOptions, headAtStart: bigint): Projector {
  let head = headAtStart;
  return new Projector({
    pool: options.pool,
    store: options.store,
    schema: NEXT,
    snapshotEvery: options.snapshotEvery,
    batchSizeMax: options.batchSizeMax,
    log: options.log,
    onBatch: (_events, checkpoint) => {
      if (checkpoint > head) head = checkpoint;
      options.onProgress?.(checkpoint, head);
    },
  });
}

/** Step 3 of the protocol above; returns the position the new read model went live at. */
function swapIn(options: RebuildOptions, projector: Projector): Promise<bigint> {
  return inTransaction(options.pool, async (client) => {
    await client.query(`select set_config('lock_timeout', $1, true)`, [`${options.swapLockTimeoutMs ?? SWAP_LOCK_TIMEOUT_MS_DEFAULT}ms`]);
    await client.query('select pg_advisory_xact_lock(hashtext($1))', [swapLockKey(LIVE)]);
    const checkpoint = await projector.catchUp(await options.store.headPosition());
    const live = await liveCheckpoint(client);
    if (checkpoint < live) throw new Error(`${NEXT} reached ${checkpoint}, behind ${LIVE} at ${live}: not swapping.`);
    await options.beforeRename?.();
    await client.query(`alter schema ${LIVE} rename to ${OLD}`);
    await client.query(`alter schema ${NEXT} rename to ${LIVE}`);
    return checkpoint;
  });
}

async function liveCheckpoint(client: PoolClient): Promise<bigint> {
  const { rows } = await client.query<{ position: string }>(`select position from ${LIVE}.projection_checkpoints where name = $1`, [READ_MODEL_PROJECTION]);
  return BigInt(rows[0]?.position ?? '0');
}
