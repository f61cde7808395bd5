import { groupStream } from '@wallet/domain';
import { type HttpResult, fundedWallet, post } from './support/http';
import {
  actionPath,
  capture,
  concurrently,
  expectNoNegativeBalance,
  expectNoServerError,
  expectProblems,
  groupReversePath,
  lastAnswer,
  placeHold,
  transactionsPath,
  withStatus,
  withoutStatus,
} from './support/lifecycle';
import { holdEndings, readWalletLog } from './support/wallet-log';
import { startTestApp, type TestApp } from './support/test-app';
import { useSecondApi, expectRefusedAs } from './support/second-api';

/**
 * The payment lifecycle under real concurrency: captures, increases, rejects and reversals
 * fired at once over real HTTP, checked against every answer and against the event log in
 * PostgreSQL, folded with the domain's own rules. Capture against expiry is in
 * payment-lifecycle-expiry.e2e-spec.ts, whose app runs on a clock of its own.
 */
describe('the payment lifecycle under concurrency', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app.close());

  const logOf = (walletId: string) => readWalletLog(app.database.pool, walletId);

  /** The balance as of now, read through a keyless top-up of 1: the answer of a command, not the read model. */
  async function balanceAfterTopUpOf1(baseUrl: string, walletId: string): Promise<Record<string, string>> {
    const topUp = await post(baseUrl, transactionsPath(walletId), { type: 'credit', amount: '1' });
    expect(topUp.status).toBe(201);
    return topUp.body.balance as Record<string, string>;
  }

  it('50 concurrent partial captures of 10 on holds of 200 and 205: exactly 20 each, nothing captured twice', async () => {
    const [whole, odd] = [await fundedWallet(app.baseUrl, '1000'), await fundedWallet(app.baseUrl, '1000')];
    const [wholeHold, oddHold] = [await placeHold(app.baseUrl, whole, '200'), await placeHold(app.baseUrl, odd, '205')];

    const results = await Promise.all([
      ...Array.from({ length: 50 }, () => capture(app.baseUrl, whole, wholeHold.id, '10', false)),
      ...Array.from({ length: 50 }, () => capture(app.baseUrl, odd, oddHold.id, '10', false)),
    ]);

    expectNoServerError(results);
    expectNoNegativeBalance(results);
    const [onWhole, onOdd] = [results.slice(0, 50), results.slice(50)];
    expect(withStatus(onWhole, 200)).toHaveLength(20);
    expect(withStatus(onOdd, 200)).toHaveLength(20);
    // Captures with `final: false` keep each hold open: the hold of 200 ends up holding nothing
    // and the hold of 205 holding 5, and both refuse every later capture of 10.
    expectProblems(withoutStatus(onWhole, 200), 422, 'AMOUNT_EXCEEDS_HOLD');
    expectProblems(withoutStatus(onOdd, 200), 422, 'AMOUNT_EXCEEDS_HOLD');
    for (const accepted of [withStatus(onWhole, 200), withStatus(onOdd, 200)]) {
      expect(new Set(accepted.map((result) => result.body.position)).size).toBe(20);
      // Each capture saw a ledger of its own: 990, 980, ..., 800.
      const ledgers = accepted.map((result) => Number(result.body.balance.ledger)).sort((a, b) => b - a);
      expect(ledgers).toEqual(Array.from({ length: 20 }, (_, index) => 990 - 10 * index));
    }
    expect(lastAnswer(onWhole).body.balance).toEqual({ ledger: '800', available: '800', pendingDebits: '0', pendingCredits: '0' });
    expect(lastAnswer(onOdd).body.balance).toEqual({ ledger: '800', available: '795', pendingDebits: '5', pendingCredits: '0' });

    const openLog = await logOf(whole);
    expect(openLog.transactions.get(wholeHold.id)).toMatchObject({ amountMinor: 200n, heldMinor: 0n, capturedMinor: 200n, releasedMinor: 0n, status: 'pending' });
    expect(openLog.events.filter((event) => event.type === 'HoldCaptured')).toHaveLength(20);
    const ended = await post(app.baseUrl, actionPath(whole, wholeHold.id, 'confirm'), undefined);
    expect([ended.status, ended.body.transaction.status]).toEqual([200, 'confirmed']);
    const wholeLog = await logOf(whole);
    expect(wholeLog.transactions.get(wholeHold.id)).toMatchObject({ amountMinor: 200n, heldMinor: 0n, capturedMinor: 200n, releasedMinor: 0n, status: 'confirmed' });
    expect(wholeLog.events.filter((event) => event.type === 'HoldConfirmed')).toHaveLength(1);
    expect(holdEndings(wholeLog, wholeHold.id)).toBe(1);
    expect(wholeLog.changesAfterEnd).toEqual([]);
    expect(wholeLog.balance).toEqual({ ledgerMinor: 800n, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n });

    const oddLog = await logOf(odd);
    expect(oddLog.transactions.get(oddHold.id)).toMatchObject({ amountMinor: 205n, heldMinor: 5n, capturedMinor: 200n, status: 'pending' });
    const released = await post(app.baseUrl, actionPath(odd, oddHold.id, 'reject'), { reason: 'order closed' });
    expect([released.status, released.body.balance]).toEqual([200, { ledger: '800', available: '800', pendingDebits: '0', pendingCredits: '0' }]);
    expect((await logOf(odd)).transactions.get(oddHold.id)).toMatchObject({ heldMinor: 0n, capturedMinor: 200n, releasedMinor: 5n, status: 'confirmed' });
  });

  it('40 concurrent reversals of 10 on a debit of 100: exactly 10, the ledger restored exactly', async () => {
    const walletId = await fundedWallet(app.baseUrl, '1000');
    const debit = await post(app.baseUrl, transactionsPath(walletId), { type: 'debit', amount: '100' });
    const originalId = debit.body.transaction.id as string;

    const results = await concurrently(40, () => post(app.baseUrl, actionPath(walletId, originalId, 'reverse'), { amount: '10', reason: 'refund' }));

    expectNoServerError(results);
    expectNoNegativeBalance(results);
    const accepted = withStatus(results, 201);
    expect(accepted).toHaveLength(10);
    expectProblems(withoutStatus(results, 201), 422, 'REVERSAL_EXCEEDS_ORIGINAL');
    // Each answer is a new credit of its own; together they give back the debit and no more.
    const reversalIds = accepted.map((result) => result.body.transaction.id as string);
    expect(new Set(reversalIds).size).toBe(10);
    expect(reversalIds).not.toContain(originalId);
    for (const result of accepted) expect(result.body.transaction).toMatchObject({ type: 'credit', amount: '10', status: 'confirmed' });
    expect(accepted.map((result) => Number(result.body.balance.ledger)).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, index) => 910 + 10 * index));
    expect(lastAnswer(results).body.balance).toEqual({ ledger: '1000', available: '1000', pendingDebits: '0', pendingCredits: '0' });

    const log = await logOf(walletId);
    const reversals = log.events.filter((event) => event.type === 'TransactionReversed');
    expect(reversals.map((event) => event.data.transactionId).sort()).toEqual([...reversalIds].sort());
    expect(reversals.every((event) => event.type === 'TransactionReversed' && event.data.reversalOf === originalId && event.data.amountMinor === 10n)).toBe(true);
    expect(log.transactions.get(originalId)).toMatchObject({ capturedMinor: 100n, reversedMinor: 100n });
    expect(log.balance.ledgerMinor).toBe(1000n);
    expect(await balanceAfterTopUpOf1(app.baseUrl, walletId)).toEqual({ ledger: '1001', available: '1001', pendingDebits: '0', pendingCredits: '0' });
  });

  it('a capture that took part of a hold can be reversed up to what it captured, no further', async () => {
    const walletId = await fundedWallet(app.baseUrl, '1000');
    const hold = await placeHold(app.baseUrl, walletId, '100');
    expect((await capture(app.baseUrl, walletId, hold.id, '60')).status).toBe(200);

    const results = await concurrently(20, () => post(app.baseUrl, actionPath(walletId, hold.id, 'reverse'), { amount: '10' }));

    expect(withStatus(results, 201)).toHaveLength(6);
    expectProblems(withoutStatus(results, 201), 422, 'REVERSAL_EXCEEDS_ORIGINAL');
    const log = await logOf(walletId);
    expect(log.transactions.get(hold.id)).toMatchObject({ amountMinor: 100n, capturedMinor: 60n, releasedMinor: 40n, reversedMinor: 60n });
    expect(log.balance.ledgerMinor).toBe(1000n);
  });

  it('captures racing a reject on 10 holds: each hold ends once, captured + released = its amount', async () => {
    const walletId = await fundedWallet(app.baseUrl, '1000');
    const holds = await Promise.all(Array.from({ length: 10 }, () => placeHold(app.baseUrl, walletId, '100')));
    const amounts = [30n, 30n, 0n, 30n, 40n];
    const race = (id: string) =>
      Promise.all(
        amounts.map((amount, index) =>
          amount === 0n
            ? post(app.baseUrl, actionPath(walletId, id, 'reject'), { reason: 'cancelled' })
            : capture(app.baseUrl, walletId, id, amount.toString(), index === amounts.length - 1),
        ),
      );

    const races = await Promise.all(holds.map((hold) => race(hold.id)));

    const log = await logOf(walletId);
    let totalCaptured = 0n;
    for (const [index, results] of races.entries()) {
      const id = holds[index]!.id;
      expectNoServerError(results);
      expectNoNegativeBalance(results);
      for (const refused of withoutStatus(results, 200)) expect(['TRANSACTION_NOT_PENDING', 'AMOUNT_EXCEEDS_HOLD']).toContain(refused.body.code);
      const captured = results.reduce((total, result, at) => (result.status === 200 ? total + amounts[at]! : total), 0n);
      const transaction = log.transactions.get(id)!;
      expect({ held: transaction.heldMinor, captured: transaction.capturedMinor, released: transaction.releasedMinor }).toEqual({ held: 0n, captured, released: 100n - captured });
      expect(holdEndings(log, id)).toBe(1);
      const rejectWon = results[2]!.status === 200;
      expect(log.events.some((event) => event.type === 'HoldRejected' && event.data.transactionId === id)).toBe(rejectWon);
      totalCaptured += captured;
    }
    expect(log.changesAfterEnd).toEqual([]);
    expect(log.lowestAvailable).toBeGreaterThanOrEqual(0n);
    expect(log.balance).toEqual({ ledgerMinor: 1000n - totalCaptured, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n });
    expect((await balanceAfterTopUpOf1(app.baseUrl, walletId)).ledger).toBe((1001n - totalCaptured).toString());
  });

  it('increases racing captures on one hold of a nearly empty wallet: available never below 0, amount = held + captured + released', async () => {
    const walletId = await fundedWallet(app.baseUrl, '100');
    const hold = await placeHold(app.baseUrl, walletId, '50');
    const isIncrease = (index: number) => index % 2 === 0;

    const results = await concurrently(40, (index) =>
      isIncrease(index) ? post(app.baseUrl, actionPath(walletId, hold.id, 'increase'), { amount: '10' }) : capture(app.baseUrl, walletId, hold.id, '5', false),
    );

    expectNoServerError(results);
    expectNoNegativeBalance(results);
    const refusals = { increase: ['INSUFFICIENT_FUNDS', 'TRANSACTION_NOT_PENDING'], capture: ['AMOUNT_EXCEEDS_HOLD', 'TRANSACTION_NOT_PENDING'] };
    for (const [index, result] of results.entries()) {
      if (result.status !== 200) expect(refusals[isIncrease(index) ? 'increase' : 'capture']).toContain(result.body.code);
    }
    const increases = results.filter((result, index) => isIncrease(index) && result.status === 200).length;
    const captures = results.filter((result, index) => !isIncrease(index) && result.status === 200).length;
    // The wallet had 50 left beside the hold: at most five increases of 10 fit.
    expect(increases).toBeLessThanOrEqual(5);
    expect(captures).toBeGreaterThan(0);

    const log = await logOf(walletId);
    const transaction = log.transactions.get(hold.id)!;
    expect(transaction.amountMinor).toBe(50n + 10n * BigInt(increases));
    expect(transaction.capturedMinor).toBe(5n * BigInt(captures));
    expect(transaction.heldMinor + transaction.capturedMinor + transaction.releasedMinor).toBe(transaction.amountMinor);
    expect(log.lowestAvailable).toBeGreaterThanOrEqual(0n);
    expect(log.changesAfterEnd).toEqual([]);
    expect(log.balance.ledgerMinor).toBe(100n - transaction.capturedMinor);
  });

  it('a group reversal raced 10 times on one transfer: one 201, nine GROUP_NOT_REVERSIBLE, every ledger back where it was', async () => {
    const [payer, payee] = [await fundedWallet(app.baseUrl, '1000'), await fundedWallet(app.baseUrl, '0')];
    const transfer = await post(app.baseUrl, '/v1/transfers', { fromWalletId: payer, toWalletId: payee, amount: '300' });
    expect(transfer.status).toBe(201);
    const groupId = transfer.body.group.id as string;

    const results = await concurrently(10, () => post(app.baseUrl, groupReversePath(groupId), { reason: 'chargeback' }));

    expectNoServerError(results);
    const accepted = withStatus(results, 201);
    expect(accepted).toHaveLength(1);
    expectProblems(withoutStatus(results, 201), 409, 'GROUP_NOT_REVERSIBLE');
    expect(accepted[0]!.body.group).toMatchObject({ status: 'completed', reversalOf: groupId });
    expect(accepted[0]!.body.group.id).not.toBe(groupId);

    const [payerLog, payeeLog] = [await logOf(payer), await logOf(payee)];
    expect([payerLog.balance.ledgerMinor, payeeLog.balance.ledgerMinor]).toEqual([1000n, 0n]);
    for (const log of [payerLog, payeeLog]) expect(log.events.filter((event) => event.type === 'TransactionReversed')).toHaveLength(1);
    const { rows } = await app.database.pool.query<{ count: string }>("select count(*) from event_store.events where stream = $1 and type = 'TransactionGroupReversed'", [groupStream(groupId)]);
    expect(Number(rows[0]!.count)).toBe(1);
    expect((await balanceAfterTopUpOf1(app.baseUrl, payer)).ledger).toBe('1001');
    expect((await balanceAfterTopUpOf1(app.baseUrl, payee)).ledger).toBe('1');
  });

  describe('two API processes on one database', () => {
    const second = useSecondApi(() => app);

    const { either } = second;


    it('50 partial captures of 10 on a hold of 200 split across both: exactly 20, captured exactly 200', async () => {
      const walletId = await fundedWallet(app.baseUrl, '1000');
      const hold = await placeHold(second.url, walletId, '200');

      const results = await concurrently(50, (index) => capture(either(index), walletId, hold.id, '10', false));

      expectNoServerError(results);
      expectNoNegativeBalance(results);
      expect(withStatus(results, 200)).toHaveLength(20);
      expectRefusedAs(withoutStatus(results, 200), 422, 'AMOUNT_EXCEEDS_HOLD');
      expect(lastAnswer(results).body.balance).toEqual({ ledger: '800', available: '800', pendingDebits: '0', pendingCredits: '0' });
      const log = await logOf(walletId);
      expect(log.events.filter((event) => event.type === 'HoldCaptured')).toHaveLength(20);
      expect(log.transactions.get(hold.id)).toMatchObject({ heldMinor: 0n, capturedMinor: 200n, releasedMinor: 0n });
      expect(log.changesAfterEnd).toEqual([]);
    });

    it('40 reversals of 10 on a debit of 100 split across both: exactly 10, the ledger restored exactly', async () => {
      const walletId = await fundedWallet(second.url, '1000');
      const debit = await post(app.baseUrl, transactionsPath(walletId), { type: 'debit', amount: '100' });
      const originalId = debit.body.transaction.id as string;

      const results = await concurrently(40, (index) => post(either(index), actionPath(walletId, originalId, 'reverse'), { amount: '10' }));

      expectNoServerError(results);
      expect(withStatus(results, 201)).toHaveLength(10);
      expectRefusedAs(withoutStatus(results, 201), 422, 'REVERSAL_EXCEEDS_ORIGINAL');
      expect(lastAnswer(results).body.balance.ledger).toBe('1000');
      const log = await logOf(walletId);
      expect(log.events.filter((event) => event.type === 'TransactionReversed')).toHaveLength(10);
      expect(log.transactions.get(originalId)).toMatchObject({ capturedMinor: 100n, reversedMinor: 100n });
      expect(log.balance.ledgerMinor).toBe(1000n);
    });

    it('partial captures racing a reject on 10 holds across both: each hold ends once, captured + released = its amount', async () => {
      const walletId = await fundedWallet(app.baseUrl, '1000');
      // Placed one after the other through alternate processes: both have the wallet cached, at available 0.
      const holds: { id: string; position: string }[] = [];
      for (let index = 0; index < 10; index += 1) holds.push(await placeHold(either(index), walletId, '100'));
      // Captures of 30, 30, 30 and 40 (130 in all, more than the hold) with a reject among them.
      const amounts = [30n, 30n, 0n, 30n, 40n];
      const rejectAt = amounts.indexOf(0n);
      /** The reject is sent again on a retryable WRITE_CONTENTION, as a client would, so that every hold ends. */
      async function reject(baseUrl: string, id: string): Promise<HttpResult> {
        for (let attempt = 1; ; attempt += 1) {
          const result = await post(baseUrl, actionPath(walletId, id, 'reject'), { reason: 'cancelled' });
          if (result.body?.code !== 'WRITE_CONTENTION' || attempt === 5) return result;
          await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
        }
      }
      // Within a race the requests alternate between the processes, and so does the reject from hold to hold.
      const race = (id: string, holdIndex: number) =>
        Promise.all(
          amounts.map((amount, index) =>
            amount === 0n ? reject(either(holdIndex + index), id) : capture(either(holdIndex + index), walletId, id, amount.toString(), false),
          ),
        );

      const races = await Promise.all(holds.map((hold, index) => race(hold.id, index)));

      const log = await logOf(walletId);
      let totalCaptured = 0n;
      for (const [index, results] of races.entries()) {
        const id = holds[index]!.id;
        expectNoServerError(results);
        expectNoNegativeBalance(results);
        const rejected = results[rejectAt]!;
        expect(rejected.status).toBe(200);
        const captures = results.filter((_, at) => at !== rejectAt);
        for (const refused of withoutStatus(captures, 200)) expect(['TRANSACTION_NOT_PENDING', 'AMOUNT_EXCEEDS_HOLD', 'WRITE_CONTENTION']).toContain(refused.body.code);
        // Every capture taken was taken before the reject ended the hold.
        for (const taken of withStatus(captures, 200)) expect(BigInt(taken.body.position)).toBeLessThan(BigInt(rejected.body.position));
        const captured = results.reduce((total, result, at) => (at !== rejectAt && result.status === 200 ? total + amounts[at]! : total), 0n);
        expect(captured).toBeLessThanOrEqual(100n);
        const transaction = log.transactions.get(id)!;
        expect({ held: transaction.heldMinor, captured: transaction.capturedMinor, released: transaction.releasedMinor }).toEqual({ held: 0n, captured, released: 100n - captured });
        expect(transaction.capturedMinor + transaction.releasedMinor).toBe(transaction.amountMinor);
        expect(holdEndings(log, id)).toBe(1);
        expect(log.events.filter((event) => event.type === 'HoldRejected' && event.data.transactionId === id)).toHaveLength(1);
        totalCaptured += captured;
      }
      expect(totalCaptured).toBeGreaterThan(0n);
      expect(log.changesAfterEnd).toEqual([]);
      expect(log.lowestAvailable).toBeGreaterThanOrEqual(0n);
      expect(log.balance).toEqual({ ledgerMinor: 1000n - totalCaptured, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n });
      expect((await balanceAfterTopUpOf1(second.url, walletId)).ledger).toBe((1001n - totalCaptured).toString());
    });

    it('a group reversal raced 10 times across both: reversed once, every ledger back where it was', async () => {
      const [payer, payee] = [await fundedWallet(app.baseUrl, '1000'), await fundedWallet(second.url, '0')];
      // Both processes have the group's wallets cached before the race.
      const transfer = await post(second.url, '/v1/transfers', { fromWalletId: payer, toWalletId: payee, amount: '300' });
      expect((await post(app.baseUrl, transactionsPath(payee), { type: 'credit', amount: '1' })).status).toBe(201);

      const results = await concurrently(10, (index) => post(either(index), groupReversePath(transfer.body.group.id), { reason: 'chargeback' }));

      expectNoServerError(results);
      expect(withStatus(results, 201)).toHaveLength(1);
      expectRefusedAs(withoutStatus(results, 201), 409, 'GROUP_NOT_REVERSIBLE');
      const [payerLog, payeeLog] = [await logOf(payer), await logOf(payee)];
      expect([payerLog.balance.ledgerMinor, payeeLog.balance.ledgerMinor]).toEqual([1000n, 1n]);
      for (const log of [payerLog, payeeLog]) expect(log.events.filter((event) => event.type === 'TransactionReversed')).toHaveLength(1);
    });
  });
});
