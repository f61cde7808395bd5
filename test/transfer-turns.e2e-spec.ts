import { groupReferenceStream } from '@wallet/domain';
import { blockAppends } from './support/append-lock';
import { auditGroups, readLog } from './support/group-log';
import { fundedWallet, post } from './support/http';
import { untilInFlight } from './support/in-flight';
import { concurrently, expectNoServerError, expectProblems, withStatus, withoutStatus } from './support/lifecycle';
import { getAfter } from './support/read-model';
import { type TestApp, startTestApp } from './support/test-app';
import { useSecondApi } from './support/second-api';
import { readWalletLog } from './support/wallet-log';

/**
 * Group commands that share a wallet are decided in turns, in arrival order, each on the
 * states the previous ones left, and a turn's accepted groups are appended together in one
 * transaction. The append lock is held while the commands arrive, so that they pile up
 * behind it as they would behind a slow commit; once it is let go, the log shows how they
 * were appended (the events of one append share `event_store.events.transaction_id`).
 */

/** Time for commands counted in flight to get past parsing and loading to the write path's queue. */
const QUEUE_SETTLE_MS = 300;

describe('transfers decided in turns', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app?.close());

  /**
   * Holds the append lock while `arrive` sends requests and waits for them to be in flight,
   * and lets it go however that ends. `arrive` returns its answers still to come, wrapped, so
   * that they are awaited only once the appends may go on.
   */
  async function withAppendsBlocked<T>(arrive: () => Promise<T>): Promise<T> {
    const release = await blockAppends(app.database.url);
    try {
      return await arrive();
    } finally {
      await release();
    }
  }

  /** Waits until `count` requests are in flight, then a moment more for them to reach the write path's queue. */
  async function queued(count: number): Promise<void> {
    await untilInFlight(app.baseUrl, count);
    await new Promise((resolve) => setTimeout(resolve, QUEUE_SETTLE_MS));
  }

  /** The transactions that appended these groups' TransactionGroupRecorded events, by group id. */
  async function appendsOf(groupIds: readonly string[]): Promise<Map<string, string>> {
    const { rows } = await app.database.pool.query<{ group_id: string; transaction_id: string }>(
      `select data->>'groupId' as group_id, transaction_id::text from event_store.events
        where type = 'TransactionGroupRecorded' and data->>'groupId' = any($1::text[])`,
      [groupIds],
    );
    return new Map(rows.map((row) => [row.group_id, row.transaction_id]));
  }

  const openWallet = async (body: Record<string, unknown>): Promise<string> => {
    const opened = await post(app.baseUrl, '/v1/wallets', body);
    expect(opened.status).toBe(201);
    return opened.body.id as string;
  };

  it('64 concurrent transfers out of a wallet holding enough for 40: exactly 40 succeed, available ends at 0, and they shared appends', async () => {
    const source = await fundedWallet(app.baseUrl, '1000');
    const targets = await Promise.all([0, 1, 2, 3].map(() => fundedWallet(app.baseUrl, '0')));

    const { answers } = await withAppendsBlocked(async () => {
      const sent = concurrently(64, (index) => post(app.baseUrl, '/v1/transfers', { fromWalletId: source, toWalletId: targets[index % targets.length], amount: '25' }));
      await queued(64);
      return { answers: sent };
    });
    const results = await answers;

    expectNoServerError(results);
    const accepted = withStatus(results, 201);
    expect(accepted).toHaveLength(40);
    expect(withoutStatus(results, 201)).toHaveLength(24);
    expectProblems(withoutStatus(results, 201), 422, 'INSUFFICIENT_FUNDS');

    const log = await readWalletLog(app.database.pool, source);
    expect(log.lowestAvailable).toBe(0n);
    expect(log.balance).toMatchObject({ ledgerMinor: 0n, pendingDebitsMinor: 0n });
    const highest = accepted.reduce((max, result) => (BigInt(result.body.position) > max ? BigInt(result.body.position) : max), 0n);
    const read = await getAfter(app, `/v1/wallets/${source}`, highest);
    expect(read.body.balance).toMatchObject({ ledger: '0', available: '0' });

    // Every accepted transfer is one recorded group, every leg in place; the refused left nothing.
    const audit = auditGroups(await readLog(app.database.pool));
    expect(audit.findings).toEqual([]);
    const fromSource = [...audit.groups.values()].filter((group) => group.recorded.legs.some((leg) => leg.walletId === source));
    expect(fromSource).toHaveLength(40);
    const groupIds = accepted.map((result) => result.body.group.id as string);
    expect(new Set(fromSource.map((group) => group.recorded.groupId))).toEqual(new Set(groupIds));

    // Fewer appends than groups: transfers waiting together were appended together.
    const appends = new Set((await appendsOf(groupIds)).values());
    console.log(`64 transfers from one wallet: 40 groups in ${appends.size} appends`);
    expect(appends.size).toBeLessThan(40);
  });

  it('a group refused inside a turn appends nothing, and the rest of its turn is committed together', async () => {
    const hot = await openWallet({ type: 'system', currency: 'USD', overdraftLimit: 'unlimited' });
    const [plugTarget, toFirst, toSecond, toThird, empty] = await Promise.all([0, 1, 2, 3, 4].map(() => fundedWallet(app.baseUrl, '0')));
    const euros = await fundedWallet(app.baseUrl, '0', 'EUR');
    const transfer = (toWalletId: string, amount: string, reference: string) => () => post(app.baseUrl, '/v1/transfers', { fromWalletId: hot, toWalletId, amount, reference });

    // A first transfer out of the hot wallet takes the turn that waits on the blocked append;
    // the commands sent next wait together for the following turn.
    const { plug, turn } = await withAppendsBlocked(async () => {
      const first = transfer(plugTarget!, '5', 'turn-plug')();
      await queued(1);
      const next = Promise.all(
        [
          transfer(toFirst!, '10', 'turn-first'),
          transfer(toSecond!, '20', 'turn-second'),
          // Its third leg takes 5 from a wallet that has nothing: 422, and none of its legs.
          () =>
            post(app.baseUrl, '/v1/transaction-groups', {
              reference: 'turn-refused',
              transactions: [
                { walletId: hot, type: 'debit', amount: '7' },
                { walletId: toThird, type: 'credit', amount: '12' },
                { walletId: empty, type: 'debit', amount: '5' },
              ],
            }),
          // Dollars into a euro wallet.
          transfer(euros, '9', 'turn-mismatch'),
          transfer(toThird!, '30', 'turn-third'),
        ].map((send) => send()),
      );
      await queued(6);
      return { plug: first, turn: next };
    });
    const plugged = await plug;
    const [first, second, refused, mismatched, third] = await turn;

    expect(plugged.status).toBe(201);
    for (const accepted of [first, second, third]) expect(accepted!.status).toBe(201);
    expectProblems([refused!], 422, 'INSUFFICIENT_FUNDS');
    expect(refused!.body.legIndex).toBe(2);
    expectProblems([mismatched!], 422, 'CURRENCY_MISMATCH');

    // The refused groups left no trace: no reference reserved, no group, no leg on any wallet.
    const { rows: traces } = await app.database.pool.query<{ stream: string; type: string }>(
      `select stream, type from event_store.events where data->>'reference' in ('turn-refused', 'turn-mismatch') or stream = any($1::text[])`,
      [[groupReferenceStream('turn-refused'), groupReferenceStream('turn-mismatch')]],
    );
    expect(traces).toEqual([]);
    for (const untouched of [empty!, euros]) expect((await readWalletLog(app.database.pool, untouched)).events.map((event) => event.type)).toEqual(['WalletOpened']);
    const audit = auditGroups(await readLog(app.database.pool));
    expect(audit.findings).toEqual([]);
    const onHot = [...audit.groups.values()].filter((group) => group.recorded.legs.some((leg) => leg.walletId === hot)).map((group) => group.recorded.groupId);
    const acceptedIds = [plugged, first!, second!, third!].map((result) => result.body.group.id as string);
    expect(new Set(onHot)).toEqual(new Set(acceptedIds));
    const hotLog = await readWalletLog(app.database.pool, hot);
    expect(hotLog.balance.ledgerMinor).toBe(-65n);
    expect((await readWalletLog(app.database.pool, toThird!)).balance.ledgerMinor).toBe(30n);

    // The three accepted beside the refused ones were decided in one turn and appended at once.
    const appends = await appendsOf(acceptedIds.slice(1));
    console.log(`a turn with two refusals: its three accepted groups in ${new Set(appends.values()).size} appends`);
    expect(new Set(appends.values()).size).toBe(1);
  });

  describe('beside a second API process', () => {
    const second = useSecondApi(() => app);

    it('decides again a refusal judged on a wallet another process changed, and refuses a reference another process took, in one turn', async () => {
      const hot = await openWallet({ type: 'system', currency: 'USD', overdraftLimit: 'unlimited' });
      const [stale, toStale, toHot, toTaken] = await Promise.all([0, 1, 2, 3].map(() => fundedWallet(app.baseUrl, '0')));
      // This process caches `stale` at 1; the other one then credits it 100, and takes a reference.
      expect((await post(app.baseUrl, `/v1/wallets/${stale}/transactions`, { type: 'credit', amount: '1' })).status).toBe(201);
      expect((await post(second.url, `/v1/wallets/${stale}/transactions`, { type: 'credit', amount: '100' })).status).toBe(201);
      const holder = await post(second.url, '/v1/transfers', { fromWalletId: hot, toWalletId: toTaken, amount: '1', reference: 'taken-elsewhere' });
      expect(holder.status).toBe(201);

      const { plug, turn } = await withAppendsBlocked(async () => {
        const first = post(app.baseUrl, '/v1/transfers', { fromWalletId: hot, toWalletId: toHot, amount: '1' });
        await queued(1);
        const next = Promise.all([
          post(app.baseUrl, '/v1/transfers', { fromWalletId: hot, toWalletId: toHot, amount: '2' }),
          // Refused on this process's cached 1, accepted on the wallet's 101.
          post(app.baseUrl, '/v1/transfers', { fromWalletId: stale, toWalletId: toStale, amount: '50' }),
          // Taken to be free here, found taken by the append.
          post(app.baseUrl, '/v1/transfers', { fromWalletId: hot, toWalletId: toTaken, amount: '3', reference: 'taken-elsewhere' }),
        ]);
        await queued(4);
        return { plug: first, turn: next };
      });
      expect((await plug).status).toBe(201);
      const [fromHot, fromStale, reused] = await turn;

      expect(fromHot!.status).toBe(201);
      expect(fromStale!.status).toBe(201);
      expectProblems([reused!], 409, 'REFERENCE_ALREADY_USED');
      expect(reused!.body.existingId).toBe(holder.body.group.id);
      expect((await readWalletLog(app.database.pool, stale!)).balance.ledgerMinor).toBe(51n);
      expect((await readWalletLog(app.database.pool, toTaken!)).balance.ledgerMinor).toBe(1n);
      // The two accepted were still appended together.
      const appends = await appendsOf([fromHot!.body.group.id, fromStale!.body.group.id]);
      expect(new Set(appends.values()).size).toBe(1);
      expect(auditGroups(await readLog(app.database.pool)).findings).toEqual([]);
    });
  });
});
