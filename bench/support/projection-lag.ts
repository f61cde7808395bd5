import { Client } from 'pg';

/**
 * A scalar subquery: how many events of the log lie past the projector's checkpoint, i.e.
 * are not applied to the read model yet. Work the projector still has to do after a load.
 */
export const UNPROJECTED_EVENTS_SQL = `(select count(*) from event_store.events where position >
  coalesce((select position from read_model.projection_checkpoints where name = 'read_model'), 0))`;

/** How many events the projector has not applied yet. */
export async function unprojectedEvents(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ unprojected: string }>(`select ${UNPROJECTED_EVENTS_SQL} as unprojected`);
    return Number(rows[0]!.unprojected);
  } finally {
    await client.end();
  }
}
