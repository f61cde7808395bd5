import { groupReferenceStream, walletStream } from '@wallet/domain';
import { fundedWallet, post } from './support/http';
import { expectNoServerError, transactionsPath } from './support/lifecycle';
import { RACERS, expectOneWinner, raceGroupReference, raceTransactionReference, racerAmount, uniqueReference, walletPairs } from './support/reference-races';
import { READ_SIDE_ENV, getAfter } from './support/read-model';
import { readWalletLog } from './support/wallet-log';
import { startTestApp, type TestApp } from './support/test-app';
import { useSecondApi } from './support/second-api';

/**
 * References are unique for ever, enforced by the write side at append time: requests that
 * share one, fired at once over real HTTP (by one process, then by two on one database),
 * record exactly one, and every other answer names it. Checked against the answers and
 * against the event log in PostgreSQL.
 */
describe('references under concurrency', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: READ_SIDE_ENV });
  });
  afterAll(async () => app.close());

  /** The wallet's events that carry `reference`, in log order. */
  async function eventsWithReference(walletId: string, reference: string): Promise<{ type: string; transactionId: string }[]> {
    const { rows } = await app.database.pool.query<{ type: string; transaction_id: string }>(
      "select type, data->>'transactionId' as transaction_id from event_store.events where stream = $1 and data->>'reference' = $2 order by position",
      [walletStream(walletId), reference],
    );
    return rows.map((row) => ({ type: row.type, transactionId: row.transaction_id }));
  }

  /** The group reference's stream, and every group recorded with the reference, as the log holds them. */
  async function groupsWithReference(reference: string): Promise<{ reservations: string[]; groups: string[] }> {
    const reservations = await app.database.pool.query<{ type: string; group_id: string }>(
      "select type, data->>'groupId' as group_id from event_store.events where stream = $1 order by revision",
      [groupReferenceStream(reference)],
    );
    for (const row of reservations.rows) expect(row.type).toBe('GroupReferenceReserved');
    const groups = await app.database.pool.query<{ group_id: string }>(
      "select data->>'groupId' as group_id from event_store.events where type = 'TransactionGroupRecorded' and data->>'reference' = $1",
      [reference],
    );
    return { reservations: reservations.rows.map((row) => row.group_id), groups: groups.rows.map((row) => row.group_id) };
  }

  /** How many group legs the log holds on these wallets. */
  async function legsOn(wallets: readonly string[]): Promise<number> {
    const { rows } = await app.database.pool.query<{ count: string }>(
      "select count(*) from event_store.events where stream = any($1) and data->>'groupId' is not null",
      [wallets.map(walletStream)],
    );
    return Number(rows[0]!.count);
  }

  /** The transaction race on a fresh wallet funded with 1000; checks the answers and the log. */
  async function transactionRace(baseUrlOf: (index: number) => string, contentionAllowed: boolean): Promise<void> {
    const walletId = await fundedWallet(app.baseUrl, '1000');
    const reference = uniqueReference('order');

    const results = await raceTransactionReference(baseUrlOf, walletId, reference);

    expectNoServerError(results);
    const { winner } = expectOneWinner(results, (won) => won.body.transaction.id, contentionAllowed);
    expect(winner.body.transaction).toMatchObject({ reference, amount: String(racerAmount(results, winner)) });
    const logged = await eventsWithReference(walletId, reference);
    expect(logged.map((event) => event.transactionId)).toEqual([winner.body.transaction.id]);
    const log = await readWalletLog(app.database.pool, walletId);
    // Opened, funded, and the one winner: no loser left a trace.
    expect(log.events).toHaveLength(3);
    // The read side finds the one transaction, in the wallet's history and across wallets.
    for (const path of [`${transactionsPath(walletId)}?reference=${reference}`, `/v1/transactions?reference=${reference}`]) {
      const found = await getAfter(app, path, winner.body.position);
      expect([found.status, found.body.items.map((item: { id: string }) => item.id)]).toEqual([200, [winner.body.transaction.id]]);
    }

    // Long after the race, a new key and a new body meet the same answer.
    const late = await post(baseUrlOf(1), transactionsPath(walletId), { type: 'credit', amount: '999', reference }, { 'idempotency-key': `${reference}-late` });
    expect(late.body).toMatchObject({ status: 409, code: 'REFERENCE_ALREADY_USED', existingId: winner.body.transaction.id });
  }

  /** The group race over fresh wallets; checks the answers and the log. */
  async function groupRace(baseUrlOf: (index: number) => string, contentionAllowed: boolean): Promise<void> {
    const wallets = await walletPairs(app.baseUrl);
    const reference = uniqueReference('settlement');

    const results = await raceGroupReference(baseUrlOf, wallets, reference);

    expectNoServerError(results);
    const { winner } = expectOneWinner(results, (won) => won.body.group.id, contentionAllowed);
    const groupId = winner.body.group.id as string;
    expect(winner.body.group).toMatchObject({ reference, status: 'completed' });
    expect(await groupsWithReference(reference)).toEqual({ reservations: [groupId], groups: [groupId] });
    expect(await legsOn(wallets)).toBe(2);
    const found = await getAfter(app, `/v1/transaction-groups?reference=${reference}`, winner.body.position);
    expect([found.status, found.body.items.map((item: { id: string }) => item.id)]).toEqual([200, [groupId]]);
    // Only the winner's pair moved, by the winner's amount.
    const moved = racerAmount(results, winner);
    const ledgers = await Promise.all(wallets.map(async (walletId) => (await readWalletLog(app.database.pool, walletId)).balance.ledgerMinor));
    const pair = 2 * results.indexOf(winner);
    expect(ledgers).toEqual(wallets.map((_, index) => (index === pair ? -moved : index === pair + 1 ? moved : 0n)));

    const late = await post(baseUrlOf(0), '/v1/transfers', { fromWalletId: wallets[0], toWalletId: wallets[1], amount: '1', reference });
    expect(late.body).toMatchObject({ status: 409, code: 'REFERENCE_ALREADY_USED', existingId: groupId });
  }

  it(`${RACERS} concurrent transactions sharing a reference on one wallet: one 201, the rest 409 naming it, one event in the log`, async () => {
    await transactionRace(() => app.baseUrl, false);
  });

  it(`${RACERS} concurrent transfers and groups sharing a reference over different wallets: one 201, the rest 409 naming it, one group and one reservation`, async () => {
    await groupRace(() => app.baseUrl, false);
  });

  describe('two API processes on one database', () => {
    const second = useSecondApi(() => app);

    const { either } = second;

    it('the transaction reference race split across both: still one 201 and one event', async () => {
      await transactionRace(either, true);
    });

    it('the group reference race split across both: still one group and one reservation', async () => {
      await groupRace(either, true);
    });
  });
});
