import { type HttpResult, post } from './support/http';
import {
  actionPath,
  concurrently,
  expectNoServerError,
  expectProblems,
  lastAnswer,
  placeHold,
  transactionsPath,
  withStatus,
  withoutStatus,
} from './support/lifecycle';
import { foldOverdraft } from './support/overdraft-log';
import { readWalletLog } from './support/wallet-log';
import { startTestApp, type TestApp } from './support/test-app';
import { useSecondApi, expectRefusedAs } from './support/second-api';

/**
 * The overdraft invariant `available >= -overdraftLimit` under real concurrency: debits,
 * holds, increases and limit changes fired at once over real HTTP, checked against every
 * answer and against the event log in PostgreSQL folded with the limit in force at each
 * event.
 */
describe('overdraft limits under concurrency', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app.close());

  const foldOf = async (walletId: string) => foldOverdraft((await readWalletLog(app.database.pool, walletId)).events);

  /** Opens an empty USD wallet that may go `limit` below 0. */
  async function walletWithLimit(limit: string): Promise<string> {
    const opened = await post(app.baseUrl, '/v1/wallets', { type: 'main', currency: 'USD', overdraftLimit: limit });
    expect([opened.status, opened.body.overdraftLimit]).toEqual([201, limit]);
    return opened.body.id as string;
  }

  /** No accepted answer shows `available` below the limit it was accepted under. */
  function expectWithinLimit(results: readonly HttpResult[], limit: bigint): void {
    for (const result of results.filter((r) => r.status === 200 || r.status === 201)) {
      expect(BigInt(result.body.balance.available)).toBeGreaterThanOrEqual(-limit);
    }
  }

  it('50 concurrent debits of 100 on 0 with a limit of 1000: exactly 10 succeed, 40 get INSUFFICIENT_FUNDS, available ends at -1000', async () => {
    const walletId = await walletWithLimit('1000');

    const results = await concurrently(50, () => post(app.baseUrl, transactionsPath(walletId), { type: 'debit', amount: '100' }));

    expectNoServerError(results);
    const accepted = withStatus(results, 201);
    expect(accepted).toHaveLength(10);
    expectProblems(withoutStatus(results, 201), 422, 'INSUFFICIENT_FUNDS');
    expectWithinLimit(results, 1000n);
    // Each success saw a balance of its own: -100, -200, ..., -1000.
    expect(accepted.map((r) => Number(r.body.balance.available)).sort((a, b) => b - a)).toEqual(Array.from({ length: 10 }, (_, i) => -100 * (i + 1)));
    expect(lastAnswer(results).body.balance).toEqual({ ledger: '-1000', available: '-1000', pendingDebits: '0', pendingCredits: '0' });

    const log = await readWalletLog(app.database.pool, walletId);
    expect(log.events.filter((event) => event.type === 'FundsDebited')).toHaveLength(10);
    const fold = foldOverdraft(log.events);
    expect([fold.available, fold.lowestHeadroom, fold.limit]).toEqual([-1000n, 0n, 1000n]);
    // A debit of 1 more is refused, a credit is not.
    expectProblems([await post(app.baseUrl, transactionsPath(walletId), { type: 'debit', amount: '1' })], 422, 'INSUFFICIENT_FUNDS');
    const topUp = await post(app.baseUrl, transactionsPath(walletId), { type: 'credit', amount: '1' });
    expect(topUp.body.balance).toEqual({ ledger: '-999', available: '-999', pendingDebits: '0', pendingCredits: '0' });
  });

  it('50 concurrent holds of 100 with a limit of 1000: exactly 10 reserve, then all 10 confirmed at once leave the ledger at -1000', async () => {
    const walletId = await walletWithLimit('1000');

    const results = await concurrently(50, () => post(app.baseUrl, transactionsPath(walletId), { type: 'debit', amount: '100', pending: true }));

    expectNoServerError(results);
    const holds = withStatus(results, 201);
    expect(holds).toHaveLength(10);
    expectProblems(withoutStatus(results, 201), 422, 'INSUFFICIENT_FUNDS');
    expectWithinLimit(results, 1000n);
    expect(lastAnswer(results).body.balance).toEqual({ ledger: '0', available: '-1000', pendingDebits: '1000', pendingCredits: '0' });
    expect((await foldOf(walletId)).lowestHeadroom).toBe(0n);

    const confirmations = await Promise.all(holds.map((hold) => post(app.baseUrl, actionPath(walletId, hold.body.transaction.id, 'confirm'))));
    expect(confirmations.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(lastAnswer(confirmations).body.balance).toEqual({ ledger: '-1000', available: '-1000', pendingDebits: '0', pendingCredits: '0' });
    const fold = await foldOf(walletId);
    expect([fold.balance.ledgerMinor, fold.balance.pendingDebitsMinor, fold.lowestHeadroom]).toEqual([-1000n, 0n, 0n]);
  });

  it('40 concurrent increases of 25 on five holds of 100 with a limit of 1000: exactly 20 fit, available ends at -1000', async () => {
    const walletId = await walletWithLimit('1000');
    const holds = await Promise.all(Array.from({ length: 5 }, () => placeHold(app.baseUrl, walletId, '100')));

    const results = await concurrently(40, (index) => post(app.baseUrl, actionPath(walletId, holds[index % 5]!.id, 'increase'), { amount: '25' }));

    expectNoServerError(results);
    expect(withStatus(results, 200)).toHaveLength(20);
    expectProblems(withoutStatus(results, 200), 422, 'INSUFFICIENT_FUNDS');
    expectWithinLimit(results, 1000n);
    expect(lastAnswer(results).body.balance).toEqual({ ledger: '0', available: '-1000', pendingDebits: '1000', pendingCredits: '0' });

    const log = await readWalletLog(app.database.pool, walletId);
    const increasesOf = (holdId: string) => results.filter((r, index) => r.status === 200 && holds[index % 5]!.id === holdId).length;
    for (const hold of holds) expect(log.transactions.get(hold.id)!.amountMinor).toBe(100n + 25n * BigInt(increasesOf(hold.id)));
    const fold = foldOverdraft(log.events);
    expect([fold.available, fold.lowestHeadroom]).toEqual([-1000n, 0n]);
  });

  it('transfers out racing reversals of a credit with a limit of 1000: the room of 1500 is used exactly, never more', async () => {
    const walletId = await walletWithLimit('1000');
    const payee = await walletWithLimit('0');
    const credit = await post(app.baseUrl, transactionsPath(walletId), { type: 'credit', amount: '500' });
    const isReversal = (index: number) => index % 4 === 0;

    // Ten reversals of 50 (a reversal of a credit is a debit) and thirty transfers of 100, all
    // multiples of 50: whatever the order, the wallet ends exactly at its floor.
    const results = await concurrently(40, (index) =>
      isReversal(index)
        ? post(app.baseUrl, actionPath(walletId, credit.body.transaction.id, 'reverse'), { amount: '50' })
        : post(app.baseUrl, '/v1/transfers', { fromWalletId: walletId, toWalletId: payee, amount: '100' }),
    );

    expectNoServerError(results);
    const reversals = results.filter((r, index) => isReversal(index) && r.status === 201).length;
    const transfers = results.filter((r, index) => !isReversal(index) && r.status === 201).length;
    expect(50 * reversals + 100 * transfers).toBe(1500);
    for (const [index, result] of results.entries()) {
      if (result.status !== 201) expect(isReversal(index) ? ['INSUFFICIENT_FUNDS', 'REVERSAL_EXCEEDS_ORIGINAL'] : ['INSUFFICIENT_FUNDS']).toContain(result.body.code);
    }
    const fold = await foldOf(walletId);
    expect([fold.available, fold.lowestHeadroom]).toEqual([-1000n, 0n]);
    expect((await foldOf(payee)).balance.ledgerMinor).toBe(100n * BigInt(transfers));
  });

  it('limit changes racing debits and holds: every answer and every position of the log stay within the limit then in force', async () => {
    const walletId = await walletWithLimit('1000');
    // Debits of 100 and holds of 50, with the limit lowered to 300 or raised to 800 among them.
    const kindOf = (index: number) => (index % 4 === 3 ? 'limit' : index % 4 === 2 ? 'hold' : 'debit');
    const limitOf = (index: number) => (index % 8 === 3 ? '300' : '800');

    const results = await concurrently(40, (index) =>
      kindOf(index) === 'limit'
        ? post(app.baseUrl, `/v1/wallets/${walletId}/overdraft-limit`, { overdraftLimit: limitOf(index) })
        : post(app.baseUrl, transactionsPath(walletId), kindOf(index) === 'hold' ? { type: 'debit', amount: '50', pending: true } : { type: 'debit', amount: '100' }),
    );

    expectNoServerError(results);
    const answered = (kind: string, status: number) => results.filter((r, index) => kindOf(index) === kind && r.status === status);
    const limitAnswers = answered('limit', 200);
    for (const result of limitAnswers) {
      // The answer is the wallet under its new limit, already within it.
      expect(BigInt(result.body.balance.available)).toBeGreaterThanOrEqual(-BigInt(result.body.overdraftLimit));
    }
    expectProblems(answered('limit', 422), 422, 'OVERDRAFT_LIMIT_BELOW_USAGE');
    expectProblems([...answered('debit', 422), ...answered('hold', 422)], 422, 'INSUFFICIENT_FUNDS');
    expect(results.filter((r) => ![200, 201, 422].includes(r.status))).toEqual([]);
    expectWithinLimit(results, 1000n);

    const log = await readWalletLog(app.database.pool, walletId);
    const fold = foldOverdraft(log.events);
    expect(fold.lowestHeadroom).toBeGreaterThanOrEqual(0n);
    expect(fold.limits).toHaveLength(1 + limitAnswers.length);
    const debited = 100n * BigInt(answered('debit', 201).length);
    const held = 50n * BigInt(answered('hold', 201).length);
    expect([fold.balance.ledgerMinor, fold.balance.pendingDebitsMinor]).toEqual([-debited, held]);
    expect(debited + held).toBeGreaterThan(0n);
    // The last limit set is the one the wallet keeps: its highest version among the answers.
    const last = limitAnswers.reduce<HttpResult | undefined>((a, b) => (a === undefined || Number(b.body.version) > Number(a.body.version) ? b : a), undefined);
    expect(fold.limit).toBe(last === undefined ? 1000n : BigInt(last.body.overdraftLimit));
  });

  describe('two API processes on one database', () => {
    const second = useSecondApi(() => app);

    const { either } = second;


    it('50 debits of 100 on 0 with a limit of 1000 split across both: exactly 10 succeed, available ends at -1000', async () => {
      const walletId = await walletWithLimit('1000');
      // Both processes have the wallet cached, at 0 under a limit of 1000, before the race.
      const [first, other] = [await post(app.baseUrl, transactionsPath(walletId), { type: 'credit', amount: '1' }), await post(second.url, transactionsPath(walletId), { type: 'debit', amount: '1' })];
      expect([first.status, other.status, other.body.balance.available]).toEqual([201, 201, '0']);

      const results = await concurrently(50, (index) => post(either(index), transactionsPath(walletId), { type: 'debit', amount: '100' }));

      expectNoServerError(results);
      const accepted = withStatus(results, 201);
      expect(accepted).toHaveLength(10);
      expectRefusedAs(withoutStatus(results, 201), 422, 'INSUFFICIENT_FUNDS');
      expectWithinLimit(results, 1000n);
      // Whichever process answered, each success saw a balance of its own: -100, -200, ..., -1000.
      expect(accepted.map((r) => Number(r.body.balance.available)).sort((a, b) => b - a)).toEqual(Array.from({ length: 10 }, (_, i) => -100 * (i + 1)));
      expect(new Set(accepted.map((r) => r.body.position)).size).toBe(10);
      expect(lastAnswer(results).body.balance).toEqual({ ledger: '-1000', available: '-1000', pendingDebits: '0', pendingCredits: '0' });

      const log = await readWalletLog(app.database.pool, walletId);
      const debitIds = log.events.flatMap((event) => (event.type === 'FundsDebited' ? [event.data.transactionId] : []));
      // The debit of 1 before the race, then exactly the ten the answers name.
      expect(debitIds).toHaveLength(1 + 10);
      expect(debitIds.slice(1).sort()).toEqual(accepted.map((r) => r.body.transaction.id as string).sort());
      const fold = foldOverdraft(log.events);
      expect([fold.available, fold.lowestHeadroom, fold.limit]).toEqual([-1000n, 0n, 1000n]);
      // Neither process lets a debit of 1 more through; a credit through either is taken.
      for (const baseUrl of [app.baseUrl, second.url]) {
        expectProblems([await post(baseUrl, transactionsPath(walletId), { type: 'debit', amount: '1' })], 422, 'INSUFFICIENT_FUNDS');
      }
      const topUp = await post(second.url, transactionsPath(walletId), { type: 'credit', amount: '1' });
      expect(topUp.body.balance).toEqual({ ledger: '-999', available: '-999', pendingDebits: '0', pendingCredits: '0' });
      expect((await foldOf(walletId)).lowestHeadroom).toBe(0n);
    });
  });
});
