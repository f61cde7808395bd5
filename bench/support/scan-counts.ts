import { Client } from 'pg';

/**
 * How the read model's tables were read, from PostgreSQL's statistics: sequential scans per
 * table and scans per index. The difference over the timed reads shows which indexes served
 * them, and that no search read a whole table.
 */
export interface ScanCounts {
  readonly seqScans: Readonly<Record<string, number>>;
  readonly indexScans: Readonly<Record<string, number>>;
}

/** PostgreSQL reports a backend's counts when it next goes idle, at most this long after. */
const STATISTICS_FLUSH_MS = 11_000;

export async function scanCounts(databaseUrl: string): Promise<ScanCounts> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tables = await client.query<{ name: string; count: string }>("select relname as name, seq_scan::text as count from pg_stat_user_tables where schemaname = 'read_model'");
    const indexes = await client.query<{ name: string; count: string }>("select indexrelname as name, idx_scan::text as count from pg_stat_user_indexes where schemaname = 'read_model'");
    const byName = (rows: { name: string; count: string }[]) => Object.fromEntries(rows.map((row) => [row.name, Number(row.count)]));
    return { seqScans: byName(tables.rows), indexScans: byName(indexes.rows) };
  } finally {
    await client.end();
  }
}

/** The counts after the work, once the API's connections have reported them, less those before; zeros left out. */
export async function scansSince(databaseUrl: string, before: ScanCounts): Promise<ScanCounts> {
  await new Promise((resolve) => setTimeout(resolve, STATISTICS_FLUSH_MS));
  const after = await scanCounts(databaseUrl);
  const delta = (now: Readonly<Record<string, number>>, then: Readonly<Record<string, number>>) =>
    Object.fromEntries(Object.entries(now).flatMap(([name, count]) => (count - (then[name] ?? 0) > 0 ? [[name, count - (then[name] ?? 0)]] : [])));
  return { seqScans: delta(after.seqScans, before.seqScans), indexScans: delta(after.indexScans, before.indexScans) };
}
