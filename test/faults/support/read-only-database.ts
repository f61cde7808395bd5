import { Client } from 'pg';

/**
 * Makes one database read-only (or writable again) for every session, as a failover to a
 * standby or an operator's emergency switch would: the database default changes, then the
 * database's other sessions are ended so that they reconnect under it. Only `databaseUrl`'s
 * own database is touched; the session doing it is left alone.
 */
export async function setDatabaseReadOnly(databaseUrl: string, readOnly: boolean): Promise<number> {
  // A session that may write whatever the database's default: it must undo the switch too.
  const client = new Client({ connectionString: databaseUrl, options: '-c default_transaction_read_only=off' });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>('select current_database() as name');
    const name = client.escapeIdentifier(rows[0]!.name);
    await client.query(readOnly ? `alter database ${name} set default_transaction_read_only = on` : `alter database ${name} reset default_transaction_read_only`);
    const ended = await client.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    return ended.rowCount ?? 0;
  } finally {
    await client.end();
  }
}
