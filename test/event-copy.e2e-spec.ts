import { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { PostgresEventStore, PostgresIdempotencyStore } from '@wallet/event-store';
import { KurrentDbEventStore } from '../libs/event-store/src/kurrentdb/kurrentdb-event-store';
import { Projector, verifyReadModel } from '@wallet/read-model';
import { encodeWalletEvent } from '@wallet/domain';
import { cli } from './support/cli';
import { type KurrentDbUnderTest, type TestDatabase, createTestDatabase, interleave, kurrentDbUnderTest, walletHistory, walletIdN } from '@wallet/testing';

const EVENTS = 10_000;
const WALLETS = 75;
const metadata = { correlationId: 'copy-spec', causationId: 'copy-spec' };

describe('events copy: PostgreSQL to KurrentDB', () => {
  let source: TestDatabase;
  let readModel: TestDatabase;
  let kurrent: KurrentDbUnderTest;

  beforeAll(async () => {
    [source, readModel, kurrent] = await Promise.all([createTestDatabase(), createTestDatabase(), kurrentDbUnderTest()]);
    const store = new PostgresEventStore(source.pool, { connectionString: source.url });
    const events = interleave(...Array.from({ length: WALLETS }, (_, n) => walletHistory(walletIdN(n + 1), 95))).slice(0, EVENTS);
    // One round of the interleaving holds each wallet once: one multi-stream append per round.
    for (let start = 0; start < events.length; start += WALLETS) {
      const round = events.slice(start, start + WALLETS);
      await store.appendMany(round.map((event) => ({ stream: `wallet-${event.data.walletId}`, events: [{ ...encodeWalletEvent(event), metadata }], expectedRevision: 'any' as const })));
    }
    await store.close();
  });

  afterAll(async () => {
    await Promise.all([source.drop(), readModel.drop(), kurrent.stop()]);
  });

  it('copies 10,000 events, resumes after being killed midway, and the read model rebuilt from the copy verifies with zero drift', async () => {
    const env = { DATABASE_URL: source.url, KURRENTDB_URL: kurrent.connectionString };
    const interrupted = cli(['events', 'copy', '--from', 'postgres', '--to', 'kurrentdb', '--batch-size', '100'], env);
    for (;;) {
      const { rows } = await source.pool.query<{ copied: string }>('select copied from event_store.copy_progress');
      if (Number(rows[0]?.copied ?? 0) >= 1_000) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    interrupted.child.kill('SIGKILL');
    await interrupted.done;
    const { rows: [killedAt] } = await source.pool.query<{ copied: string }>('select copied from event_store.copy_progress');
    expect(Number(killedAt!.copied)).toBeLessThan(EVENTS);

    const resumed = await cli(['events', 'copy', '--from', 'postgres', '--to', 'kurrentdb', '--batch-size', '500'], env).done;
    expect(resumed.stderr).not.toMatch(/error/i);
    expect(resumed.stdout).toMatch(new RegExp(`Copied ${EVENTS} events from postgres to kurrentdb`));
    expect(resumed.code).toBe(0);

    const target = new KurrentDbEventStore(KurrentDBClient.connectionString(kurrent.connectionString), new PostgresIdempotencyStore(readModel.pool));
    try {
      const ours = new Set(Array.from({ length: WALLETS }, (_, n) => `wallet-${walletIdN(n + 1)}`));
      const copied = (await target.readAll({ after: 0n, maxCount: 10_000 })).filter((event) => ours.has(event.stream));
      expect(copied).toHaveLength(EVENTS);
      expect(new Set(copied.map((event) => event.id)).size).toBe(EVENTS);
      const walletOne = await target.readStream(`wallet-${walletIdN(1)}`, { maxCount: 1_000 });
      expect(walletOne.map((event) => event.revision)).toEqual(walletOne.map((_, index) => index));

      const projector = new Projector({ pool: readModel.pool, store: target, snapshotEvery: 100, batchSizeMax: 1_000, log: () => undefined });
      await projector.catchUp();
      const report = await verifyReadModel({ pool: readModel.pool, store: target });
      expect(report.driftCount).toBe(0);
      // A real server (npm run test:kurrentdb) may hold other specs' wallets too.
      if (!kurrent.real) expect(report).toMatchObject({ eventsFolded: EVENTS, walletsCompared: WALLETS });
    } finally {
      await target.close();
    }
  });
});
