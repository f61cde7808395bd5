import { Client } from 'pg';
import { freshDb } from './db';
import { PostgresEventStore } from '../libs/event-store/src/postgres/postgres-event-store';
import { PostgresIdempotencyStore } from '../libs/event-store/src/postgres/postgres-idempotency-store';
async function main() {
  const db = await freshDb();
  process.on('exit', (c) => console.log('process exit code', c));
  const store = new PostgresEventStore(db.pool, { connectionString: db.url });
  const keys = new PostgresIdempotencyStore(db.pool);
  const claim = await keys.claim({ scope: 's', key: 'k', requestHash: 'h', leaseMs: 60000, ttlMs: 3600000 });
  if (claim.outcome !== 'claimed') throw new Error('no claim');
  const blocker = new Client({ connectionString: db.url }); await blocker.connect();
  await blocker.query('select pg_advisory_lock(7308611573)');
  const appending = store.append('s-1', [{ type: 'T', schemaVersion: 1, data: {}, metadata: { correlationId: 'c', causationId: 'c' } }], 'no_stream',
    { idempotency: { scope: 's', key: 'k', token: claim.token, response: () => ({ status: 201, body: {} }) } });
  appending.then(() => console.log('append ok'), (e) => console.log('append rejected (handled):', e.message));
  await new Promise((r) => setTimeout(r, 300));
  const { rows } = await blocker.query(`select pid from pg_stat_activity where wait_event_type = 'Lock' and query like '%append_events%'`);
  console.log('terminating', rows);
  await blocker.query('select pg_terminate_backend($1)', [rows[0].pid]);
  await new Promise((r) => setTimeout(r, 500));
  console.log('still alive after termination');
  await blocker.end(); await store.close(); await db.drop();
}
main().catch((e) => { console.error('main failed', e); process.exit(2); });
