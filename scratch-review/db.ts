import { Client, Pool } from 'pg';
import { randomBytes } from 'node:crypto';
import { migrate } from '../libs/read-model/src/database/migrate';
export const SERVER = 'postgres://postgres:postgres@127.0.0.1:46247/postgres';
export async function freshDb(): Promise<{ url: string; pool: Pool; drop: () => Promise<void> }> {
  const name = `review_scratch_${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: SERVER }); await admin.connect();
  await admin.query(`create database ${name}`); await admin.end();
  const url = SERVER.replace('/postgres', `/${name}`).replace('postgres:postgres@', 'postgres:postgres@');
  const u = new URL(SERVER); u.pathname = `/${name}`;
  const pool = new Pool({ connectionString: u.toString(), max: 10 });
  await migrate(pool);
  return { url: u.toString(), pool, drop: async () => { await pool.end().catch(() => undefined); const a = new Client({ connectionString: SERVER }); await a.connect(); await a.query(`drop database if exists ${name} with (force)`); await a.end(); } };
}
