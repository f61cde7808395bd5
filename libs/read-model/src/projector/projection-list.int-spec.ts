import type { WalletEvent } from '@wallet/domain';
import { appendWalletEvents, catchUpToHead, createStoreTestDatabase, interleave, readAllAtLeast, type StoreTestDatabase, walletHistory, walletIdN } from '@wallet/testing';
import { readModelProjections } from '../projections';
import { readCheckpoint } from './checkpoints';
import type { ProjectedEvent, Projection } from './projection';
import { Projector, type ProjectorBatchHooks } from './projector';

const SNAPSHOT_EVERY = 4;
const LOG = interleave(walletHistory(walletIdN(1), 9), walletHistory(walletIdN(2), 9));
const SETTLEMENTS: readonly string[] = ['HoldConfirmed', 'HoldRejected'];

/** A read model of its own: the position and type of every settled hold, in `settlements_seen`. */
const settlementsSeen: Projection<WalletEvent> = {
  name: 'settlements-seen',
  handles: ['HoldConfirmed', 'HoldRejected'],
  begin: () => {
    const seen: ProjectedEvent<WalletEvent>[] = [];
    return {
      fold: (projected) => void seen.push(projected),
      write: (statement) => {
        if (seen.length === 0) return;
        const p = statement.params;
        statement.add('new_settlements_seen', `insert into ${statement.schema}.settlements_seen (position, type)
          select * from unnest(${p.int8(seen, (s) => s.position)}, ${p.text(seen, (s) => s.event.type)})`);
      },
    };
  },
};

/** A projection added to the projector's list is one more part of every batch's statement. */
describe('A projection added to the list', () => {
  let database: StoreTestDatabase;

  beforeEach(async () => {
    database = await createStoreTestDatabase(4);
    await database.pool.query('create table read_model.settlements_seen (position bigint primary key, type text not null)');
    await appendWalletEvents(database.store, LOG);
  });
  afterEach(() => database.drop());

  const projector = (hooks?: ProjectorBatchHooks): Projector =>
    new Projector({
      pool: database.pool,
      store: database.store,
      snapshotEvery: SNAPSHOT_EVERY,
      projections: [...readModelProjections({ snapshotEvery: SNAPSHOT_EVERY }), settlementsSeen],
      batchSizeMax: 7,
      log: () => undefined,
      hooks,
    });

  async function seen(): Promise<{ position: string; type: string }[]> {
    return (await database.pool.query<{ position: string; type: string }>('select position::text, type from read_model.settlements_seen s order by s.position')).rows;
  }

  it('gets the events of its types, once, beside the other read models', async () => {
    await catchUpToHead(projector(), database.pool);

    const events = await database.store.readAll({ after: 0n, maxCount: 1_000 });
    const settled = events.filter((event) => SETTLEMENTS.includes(event.type));
    expect(settled.length).toBeGreaterThan(0);
    expect(await seen()).toEqual(settled.map((event) => ({ position: event.position.toString(), type: event.type })));
    const { rows } = await database.pool.query<{ count: number }>('select count(*)::int as count from read_model.balances');
    expect(rows[0]!.count).toBe(2);
  });

  it('writes in the batch\'s transaction: a batch that never commits leaves none of its rows', async () => {
    const crash: ProjectorBatchHooks = {
      beforeCommit: () => {
        throw new Error('crashed before the commit');
      },
    };
    // The log is read only up to the oldest transaction still running on the server (another
    // spec's, maybe): wait until every event is readable, so that the batch has rows to lose.
    expect(await readAllAtLeast(database.store, 0n, LOG.length)).toHaveLength(LOG.length);
    await expect(projector(crash).catchUp()).rejects.toThrow('crashed before the commit');
    expect(await seen()).toEqual([]);
    expect((await readCheckpoint(database.pool, 'read_model')).position).toBe(0n);
  });
});
