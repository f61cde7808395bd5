import type { Pool } from 'pg';

/** Rows one prune deletes at most: a long backlog of old rows goes in several short statements. */
const PRUNE_ROWS_MAX = 10_000;

/**
 * Deletes delivery attempts older than `keepDays`, at most PRUNE_ROWS_MAX per call; answers how
 * many went. A busy endpoint logs one row per batch, so the log is kept by age, not forever.
 */
export async function pruneDeliveryLog(db: Pool, keepDays: number): Promise<number> {
  const { rowCount } = await db.query(
    `delete from webhooks.deliveries where id in (
       select id from webhooks.deliveries where at < now() - make_interval(days => $1) limit $2)`,
    [keepDays, PRUNE_ROWS_MAX],
  );
  return rowCount ?? 0;
}
