import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@wallet/config';
import { groupReferenceStream } from '@wallet/domain';
import { type KurrentDbUnderTest, kurrentDbUnderTest } from '@wallet/testing';
import { createApp } from '../apps/wallet-api/src/create-app';
import { fundedWallet, post } from './support/http';
import { concurrently, expectNoServerError, expectProblems, transactionsPath, withStatus, withoutStatus } from './support/lifecycle';
import { foldOverdraft, readFeed, walletEventsFromFeed } from './support/overdraft-log';
import { READ_SIDE_ENV } from './support/read-model';
import { RACERS, expectOneWinner, raceGroupReference, raceTransactionReference, racerAmount, uniqueReference, walletPairs } from './support/reference-races';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The overdraft and reference races on KurrentDB (the in-process protocol double, or the
 * server KURRENTDB_URL names), by one API process and by two sharing the store: there the
 * write side holds the invariants with KurrentDB's expected revisions alone. The log is read
 * back through the event feed, since no table holds it.
 */
describe('overdraft limits and references under concurrency on KurrentDB', () => {
  let kurrent: KurrentDbUnderTest;
  let app: TestApp;
  let second: NestFastifyApplication;
  let secondUrl: string;

  beforeAll(async () => {
    kurrent = await kurrentDbUnderTest();
    const storeEnv = { EVENT_STORE: 'kurrentdb', KURRENTDB_URL: kurrent.connectionString };
    app = await startTestApp({ env: { ...READ_SIDE_ENV, ...storeEnv } });
    second = await createApp({ config: loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: app.database.url, ...storeEnv }), databaseUrl: app.database.url });
    await second.listen({ port: 0, host: '127.0.0.1' });
    secondUrl = (await second.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    await second?.close();
    await app?.close();
    await kurrent?.stop();
  });

  const first = () => app.baseUrl;
  /** Even requests go to the first process, odd ones to the second. */
  const either = (index: number) => (index % 2 === 0 ? app.baseUrl : secondUrl);

  it('50 concurrent debits of 100 on 0 with a limit of 1000: exactly 10 succeed, available ends at -1000', async () => {
    const opened = await post(app.baseUrl, '/v1/wallets', { type: 'main', currency: 'USD', overdraftLimit: '1000' });
    const walletId = opened.body.id as string;

    const results = await concurrently(50, (index) => post(either(index), transactionsPath(walletId), { type: 'debit', amount: '100' }));

    expectNoServerError(results);
    expect(withStatus(results, 201)).toHaveLength(10);
    for (const refused of withoutStatus(results, 201)) {
      if (refused.body.code !== 'WRITE_CONTENTION') expectProblems([refused], 422, 'INSUFFICIENT_FUNDS');
    }
    const fold = foldOverdraft(await walletEventsFromFeed(app.baseUrl, walletId));
    expect([fold.available, fold.lowestHeadroom, fold.limit]).toEqual([-1000n, 0n, 1000n]);
    // The events went to KurrentDB: PostgreSQL's own log stayed empty.
    const { rows } = await app.database.pool.query<{ count: string }>('select count(*) from event_store.events');
    expect(rows[0]!.count).toBe('0');
  });

  describe.each([
    ['one process', first, false],
    ['two processes', either, true],
  ] as const)('by %s', (_, baseUrlOf, contentionAllowed) => {
    it(`${RACERS} transactions sharing a reference on one wallet: one 201, the rest 409 naming it, one event in the log`, async () => {
      const walletId = await fundedWallet(app.baseUrl, '1000');
      const reference = uniqueReference('order');

      const results = await raceTransactionReference(baseUrlOf, walletId, reference);

      expectNoServerError(results);
      const { winner } = expectOneWinner(results, (won) => won.body.transaction.id, contentionAllowed);
      expect(winner.body.transaction.amount).toBe(String(racerAmount(results, winner)));
      const events = await walletEventsFromFeed(app.baseUrl, walletId);
      const withReference = events.filter((event) => 'reference' in event.data && event.data.reference === reference);
      expect(withReference.map((event) => 'transactionId' in event.data && event.data.transactionId)).toEqual([winner.body.transaction.id]);
      expect(events).toHaveLength(3);
    });

    it(`${RACERS} transfers and groups sharing a reference: one 201, the rest 409 naming it, one group and one reservation`, async () => {
      const wallets = await walletPairs(app.baseUrl);
      const reference = uniqueReference('settlement');

      const results = await raceGroupReference(baseUrlOf, wallets, reference);

      expectNoServerError(results);
      const { winner } = expectOneWinner(results, (won) => won.body.group.id, contentionAllowed);
      const groupId = winner.body.group.id as string;
      const log = await readFeed(app.baseUrl, '');
      const reservations = log.filter((item) => item.streamId === groupReferenceStream(reference));
      expect(reservations.map((item) => [item.type, item.data.groupId])).toEqual([['GroupReferenceReserved', groupId]]);
      const groups = log.filter((item) => item.type === 'TransactionGroupRecorded' && item.data.reference === reference);
      expect(groups.map((item) => item.data.groupId)).toEqual([groupId]);
      const legs = log.filter((item) => wallets.includes(item.data.walletId) && item.data.groupId);
      expect(legs.map((item) => item.data.groupId)).toEqual([groupId, groupId]);
    });
  });
});
