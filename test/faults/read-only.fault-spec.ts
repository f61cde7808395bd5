import { PostgresEventStore } from '@wallet/event-store';
import { createTestDatabase, type TestDatabase } from '@wallet/testing';
import { Pool } from 'pg';
import { appendBacklog } from '../../bench/support/wallet-history';
import { fundedWallet } from '../support/http';
import { checkLedger } from './support/ledger-check';
import { setDatabaseReadOnly } from './support/read-only-database';
import { settledReadModel } from './support/read-model-progress';
import { untilReady, watchReadiness } from './support/readiness-watch';
import { runRetryingWriters } from './support/retrying-writers';
import { type ServiceProcess, startServiceProcess } from './support/service-process';
import { sleep } from './support/fault-case';

const READ_ONLY_MS = 5_000;
const WRITERS = 6;
/** Appended during the spell by a session that may still write: the projector has work it cannot commit. */
const SPELL_BACKLOG_EVENTS = 2_000;

/**
 * The test database turns read-only for a few seconds (as on a failover to a standby) while
 * writers retry with their Idempotency-Keys against the API, whose projector runs in-process.
 * Only this file's database is switched.
 */
describe('a read-only spell of the database', () => {
  let database: TestDatabase;
  let api: ServiceProcess | undefined;
  let writable: Pool | undefined;
  let stopped = false;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    stopped = true;
    await api?.crash();
    await writable?.end();
    await setDatabaseReadOnly(database.url, false).catch(() => undefined);
    await database.drop();
  });

  it('loses and doubles no write, never halts the projector, and the API is unready during the spell only', async () => {
    api = await startServiceProcess({
      app: 'wallet-api',
      databaseUrl: database.url,
      // info: the projector's retries are logged at that level. A short lag bound in seconds.
      env: { LOG_LEVEL: 'info', READY_MAX_LAG_SECONDS: '3', PROJECTOR_POLL_MS: '100' },
    });
    const walletIds = await Promise.all([1, 2, 3, 4].map(() => fundedWallet(api!.baseUrl, '1000')));
    await untilReady(api.baseUrl, 30_000);

    const writing = runRetryingWriters({ baseUrl: () => api!.baseUrl, walletIds, writers: WRITERS, stop: () => stopped });
    await sleep(1_500);
    const readiness = watchReadiness(() => api!.baseUrl);
    await sleep(1_000);

    const spellStartMs = Date.now();
    await setDatabaseReadOnly(database.url, true);
    // A session of its own that still writes: events the projector must apply while it cannot commit.
    writable = new Pool({ connectionString: database.url, max: 2, options: '-c default_transaction_read_only=off' });
    // Switching back ends this pool's idle sessions too.
    writable.on('error', () => undefined);
    const store = new PostgresEventStore(writable, { connectionString: database.url });
    await appendBacklog(store, { events: SPELL_BACKLOG_EVENTS, wallets: 20, eventsPerAppend: 500, walletsPerAppend: 20, concurrency: 1, start: new Date() });
    await store.close();
    await sleep(Math.max(0, READ_ONLY_MS - (Date.now() - spellStartMs)));
    await setDatabaseReadOnly(database.url, false);
    const spellMs = Date.now() - spellStartMs;

    await sleep(1_500);
    stopped = true;
    const outcomes = await writing;
    const { caughtUpMs, verify } = await settledReadModel(database.url);
    const readyAfterMs = await untilReady(api.baseUrl, 30_000);
    const samples = await readiness.stop();

    const ledger = await checkLedger(database.url, outcomes, walletIds);
    const metrics = await (await fetch(`${api.baseUrl}/metrics`)).text();
    const unready = samples.filter((sample) => sample.status === 503);
    const retried = outcomes.flatMap((outcome) => outcome.retriedOn);
    console.log(
      `read-only ${spellMs} ms: ${outcomes.length} writes, ${ledger.acknowledged} acknowledged, ${retried.length} retries; ` +
        `/health/ready ${samples.length} asks, ${unready.length} × 503 (${[...new Set(unready.map((sample) => sample.code))].join(', ')}), ` +
        `slowest ${Math.max(...samples.map((sample) => sample.tookMs))} ms; caught up ${caughtUpMs} ms after the writers stopped; verify: ${verify.stdout.trim()}`,
    );

    expect(ledger.acknowledged).toBeGreaterThan(0);
    expect(ledger).toMatchObject({ lost: [], appliedTwice: [], unacknowledged: [], negative: [] });
    // The projector met the read-only database, retried, and did not halt.
    expect(api.output()).toContain('read-only transaction');
    expect(api.output()).not.toContain('Projector halted');
    expect(metrics).toMatch(/^wallet_projector_halted 0$/m);
    // Unready while read-only or behind, ready after.
    expect(unready.length).toBeGreaterThan(0);
    expect(unready.every((sample) => sample.code === 'SERVICE_UNAVAILABLE' || sample.code === 'READ_MODEL_BEHIND')).toBe(true);
    expect(samples.at(-1)!.status).toBe(200);
    expect(readyAfterMs).toBeLessThan(30_000);
    expect(verify).toMatchObject({ code: 0, stdout: expect.stringContaining('No drift') });
  });
});
