import { loadConfig } from '@wallet/config';
import { balanceOf, encodeWalletEvent, walletStream } from '@wallet/domain';
import { PostgresEventStore, WrongExpectedRevisionError } from '@wallet/event-store';
import { createTestDatabase, credited, newEvent, opened, type TestDatabase } from '@wallet/testing';
import { randomUUID } from 'node:crypto';
import { WalletStates } from './wallet-states';

/** The write side's wallet cache against a real PostgreSQL: what a conflict teaches it, and reads of many. */
describe('WalletStates', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    store = new PostgresEventStore(database.pool, { connectionString: database.url });
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  const states = (): WalletStates => new WalletStates(store, loadConfig({ DATABASE_URL: database.url }));
  const event = (e: Parameters<typeof encodeWalletEvent>[0]) => ({ ...encodeWalletEvent(e), metadata: { correlationId: 'c', causationId: 'c' } });

  /** A wallet opened and credited `amounts`, each a transaction of its own. */
  async function walletWith(...amounts: bigint[]): Promise<string> {
    const walletId = randomUUID();
    await store.append(walletStream(walletId), [event(opened({ walletId })), ...amounts.map((amount) => event(credited(randomUUID(), amount, { walletId })))], 'no_stream');
    return walletId;
  }

  /** What the store answers a writer whose state of `walletId` is `version` events long. */
  async function conflictAt(walletId: string, version: number): Promise<WrongExpectedRevisionError> {
    const error = await store.append(walletStream(walletId), [newEvent()], version - 1).catch((e: unknown) => e);
    if (!(error instanceof WrongExpectedRevisionError)) throw new Error('expected a conflict');
    return error;
  }

  it('folds what a conflict says was missed into the cached state, which is then current', async () => {
    const walletId = await walletWith(10n);
    const cache = states();
    const before = await cache.load(walletId, false);
    await store.append(walletStream(walletId), [event(credited(randomUUID(), 5n, { walletId })), event(credited(randomUUID(), 7n, { walletId }))], 1);
    const conflict = await conflictAt(walletId, before.state.version);
    expect(cache.learn(conflict.missed!)).toBe(true);
    const after = await cache.load(walletId, false);
    expect(after).toMatchObject({ cached: true, state: { version: 4 } });
    expect(balanceOf(after.state).ledgerMinor).toBe(22n);
  });

  it('forgets a wallet whose missed events do not follow its cached state, and says it is not current', async () => {
    const walletId = await walletWith(10n);
    const cache = states();
    await cache.load(walletId, false);
    await store.append(walletStream(walletId), [event(credited(randomUUID(), 5n, { walletId }))], 1);
    // A conflict seen by a writer that was further behind than this cache: its events start too early.
    const conflict = await conflictAt(walletId, 1);
    expect(cache.learn(conflict.missed!)).toBe(false);
    const reread = await cache.load(walletId, false);
    expect(reread).toMatchObject({ cached: false, state: { version: 3 } });
    expect(balanceOf(reread.state).ledgerMinor).toBe(15n);
  });

  it('is not current after a conflict on a stream that is not a wallet', async () => {
    await store.append('group-learn', [newEvent()], 'no_stream');
    const conflict = (await store.append('group-learn', [newEvent()], 'no_stream').catch((e: unknown) => e)) as WrongExpectedRevisionError;
    expect(states().learn(conflict.missed!)).toBe(false);
  });

  it('loads many wallets in one call as load would, cached or read', async () => {
    const [a, b] = [await walletWith(1n, 2n), await walletWith(3n)];
    const cache = states();
    await cache.load(a, false);
    const loaded = await cache.loadMany([a, b, randomUUID()], false);
    expect(loaded.map((wallet) => [wallet.cached, wallet.state.exists, wallet.state.version])).toEqual([[true, true, 3], [false, true, 2], [false, false, 0]]);
    expect((await cache.loadMany([a], true))[0]).toMatchObject({ cached: false, state: { version: 3 } });
  });

  it('reads on, stream by stream, a wallet longer than one read of many carries', async () => {
    const long = await walletWith(...Array.from({ length: 250 }, () => 1n));
    const [loaded] = await states().loadMany([long], false);
    expect(loaded!.state.version).toBe(251);
    expect(balanceOf(loaded!.state).ledgerMinor).toBe(250n);
  });
});
