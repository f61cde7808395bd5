import type { WalletEvent } from '@wallet/domain';
import { appendWalletEvents, catchUpToHead, createStoreTestDatabase, dumpReadModel, interleave, type StoreTestDatabase, walletHistory, walletIdN } from '@wallet/testing';
import { createShadowSchema } from '../rebuild/rebuild';
import { readCheckpoint } from './checkpoints';
import { Projector, type ProjectorBatchHooks } from './projector';

const SNAPSHOT_EVERY = 4;
const LOG = interleave(walletHistory(walletIdN(1), 12), walletHistory(walletIdN(2), 12), walletHistory(walletIdN(3), 4));
const PREFIX = LOG.slice(0, splitAfterAHold(LOG, 20));
const BATCH = LOG.slice(PREFIX.length);

class SimulatedCrash extends Error {}

/**
 * A projector killed after writing a batch of the first k of the n events left, before its
 * commit (a beforeCommit hook crashes it): the batch leaves no trace, and a new projector
 * finishes with the same read model as a replay of the whole log.
 */
describe('Projector killed in the middle of a batch', () => {
  let database: StoreTestDatabase;
  let prefixEnd: bigint;
  let reference: Record<string, unknown[]>;
  const crashPoints = [1, 2, Math.floor(BATCH.length / 2), BATCH.length - 1, BATCH.length];

  const projector = (schema: string, batchSizeMax: number, hooks?: ProjectorBatchHooks): Projector =>
    new Projector({ pool: database.pool, store: database.store, schema, snapshotEvery: SNAPSHOT_EVERY, batchSizeMax, log: () => undefined, hooks });
  const crashing = (batchEvents: number[]): ProjectorBatchHooks => ({
    beforeCommit: (batch) => {
      batchEvents.push(batch.length);
      throw new SimulatedCrash(`crashed before committing ${batch.length} events`);
    },
  });

  beforeAll(async () => {
    database = await createStoreTestDatabase();
    // Every crash schema has the prefix committed; the batch of the last n events is what crashes.
    prefixEnd = await appendWalletEvents(database.store, PREFIX);
    for (const k of crashPoints) {
      await createShadowSchema(database.pool, 'read_model', `crash_${k}`);
      expect(await catchUpToHead(projector(`crash_${k}`, 7), database.pool)).toBe(prefixEnd);
    }
    await appendWalletEvents(database.store, BATCH);
    await createShadowSchema(database.pool, 'read_model', 'reference');
    // From here on every event is visible to readers: a catchUp() sees them all.
    await catchUpToHead(projector('reference', 1_000), database.pool);
    reference = await dumpReadModel(database.pool, 'reference');
  });
  afterAll(() => database.drop());

  it.each(crashPoints)('after writing %i events', async (k) => {
    const schema = `crash_${k}`;
    const before = await dumpReadModel(database.pool, schema);
    const crashedBatches: number[] = [];

    await expect(projector(schema, k, crashing(crashedBatches)).catchUp()).rejects.toBeInstanceOf(SimulatedCrash);

    expect(crashedBatches).toEqual([k]);
    expect((await readCheckpoint(database.pool, schema)).position).toBe(prefixEnd);
    expect(await dumpReadModel(database.pool, schema)).toEqual(before);
    await waitForNoOpenTransaction(database);
    await projector(schema, BATCH.length).catchUp();
    expect(await dumpReadModel(database.pool, schema)).toEqual(reference);
  });
});

/**
 * Where to cut the log so that the batch after the cut (at least `batchEventsMin` events)
 * settles a hold placed before it: the path that updates a row of an earlier batch.
 */
function splitAfterAHold(log: readonly WalletEvent[], batchEventsMin: number): number {
  for (let cut = log.length - batchEventsMin; cut > 0; cut -= 1) {
    const event = log[cut - 1]!;
    if (event.type !== 'HoldPlaced') continue;
    const settles = (later: WalletEvent): boolean => (later.type === 'HoldConfirmed' || later.type === 'HoldRejected') && later.data.transactionId === event.data.transactionId;
    if (log.slice(cut).some(settles)) return cut;
  }
  throw new Error('No hold to settle across the cut.');
}

/** The crashed batch's connection is closed, not left open in its transaction. */
async function waitForNoOpenTransaction(database: StoreTestDatabase): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const { rows } = await database.pool.query<{ open: number }>(
      `select count(*)::int as open from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'`,
    );
    if (rows[0]!.open === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('A transaction of the crashed batch is still open.');
}
