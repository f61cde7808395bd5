import { type HttpResult, fundedWallet, post } from './support/http';
import { startTestApp, type TestApp } from './support/test-app';
import { useSecondApi } from './support/second-api';

/**
 * The no-overdraft invariant under real concurrency: many requests over real HTTP at once,
 * checked against the responses and against the event log in PostgreSQL.
 */
describe('wallet commands under concurrency', () => {
  let app: TestApp;

  beforeAll(async () => {
    // Up to 200 requests are in flight at once here: above the default MAX_IN_FLIGHT (128), a
    // loaded machine would shed some with 503, which is admission control's spec, not this one's.
    app = await startTestApp({ env: { MAX_IN_FLIGHT: '1000' } });
  });
  afterAll(async () => app.close());

  const transactionsPath = (walletId: string) => `/v1/wallets/${walletId}/transactions`;
  const settlePath = (walletId: string, transactionId: string, action: 'confirm' | 'reject') =>
    `/v1/wallets/${walletId}/transactions/${transactionId}/${action}`;

  /** Fires `count` requests at once (no request awaits another). */
  const concurrently = (count: number, send: (index: number) => Promise<HttpResult>) =>
    Promise.all(Array.from({ length: count }, (_, index) => send(index)));

  const statuses = (results: readonly HttpResult[]) => results.map((result) => result.status);

  async function countEvents(walletId: string, types?: readonly string[]): Promise<number> {
    const { rows } = types
      ? await app.database.pool.query<{ count: string }>('select count(*) from event_store.events where stream = $1 and type = any($2)', [`wallet-${walletId}`, types])
      : await app.database.pool.query<{ count: string }>('select count(*) from event_store.events where stream = $1', [`wallet-${walletId}`]);
    return Number(rows[0]!.count);
  }

  /** How many HoldConfirmed / HoldRejected events each transaction of the wallet has. */
  async function settlementsByTransaction(walletId: string): Promise<Map<string, string[]>> {
    const { rows } = await app.database.pool.query<{ transaction_id: string; type: string }>(
      `select data->>'transactionId' as transaction_id, type from event_store.events
        where stream = $1 and type in ('HoldConfirmed', 'HoldRejected') order by position`,
      [`wallet-${walletId}`],
    );
    const settled = new Map<string, string[]>();
    for (const row of rows) settled.set(row.transaction_id, [...(settled.get(row.transaction_id) ?? []), row.type]);
    return settled;
  }

  /** Every 201/200 answer carries a balance; none may ever show a negative amount. */
  function expectNoNegativeBalance(results: readonly HttpResult[]): void {
    for (const result of results.filter((r) => r.status === 200 || r.status === 201)) {
      for (const field of ['ledger', 'available', 'pendingDebits', 'pendingCredits'] as const) {
        expect(BigInt(result.body.balance[field])).toBeGreaterThanOrEqual(0n);
      }
    }
  }

  function expectInsufficientFunds(results: readonly HttpResult[]): void {
    for (const result of results) {
      expect(result.headers.get('content-type')).toContain('application/problem+json');
      expect(result.body).toMatchObject({ status: 422, code: 'INSUFFICIENT_FUNDS' });
    }
  }

  it('50 concurrent debits of 100 on 1000: exactly 10 succeed, 40 get INSUFFICIENT_FUNDS, available ends at 0', async () => {
    const walletId = await fundedWallet(app.baseUrl, '1000');

    const results = await concurrently(50, () => post(app.baseUrl, transactionsPath(walletId), { type: 'debit', amount: '100' }));

    expect(statuses(results).filter((status) => status >= 500)).toEqual([]);
    const accepted = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status !== 201);
    expect(accepted).toHaveLength(10);
    expect(refused).toHaveLength(40);
    expect(statuses(refused).every((status) => status === 422)).toBe(true);
    expectInsufficientFunds(refused);
    expectNoNegativeBalance(results);

    // Each success saw a distinct balance: 900, 800, ..., 0.
    const availables = accepted.map((r) => r.body.balance.available as string).sort((a, b) => Number(a) - Number(b));
    expect(availables).toEqual(['0', '100', '200', '300', '400', '500', '600', '700', '800', '900']);
    expect(new Set(accepted.map((r) => r.body.position)).size).toBe(10);

    const topUp = await post(app.baseUrl, transactionsPath(walletId), { type: 'credit', amount: '1' });
    expect(topUp.status).toBe(201);
    expect(topUp.body.balance).toEqual({ ledger: '1', available: '1', pendingDebits: '0', pendingCredits: '0' });

    // opened + credit + 10 debits + the top-up
    expect(await countEvents(walletId)).toBe(1 + 1 + 10 + 1);
    expect(await countEvents(walletId, ['FundsDebited'])).toBe(10);
  });

  it('50 concurrent holds of 100 on 1000: exactly 10 reserve, pendingDebits 1000, available 0, never negative', async () => {
    const walletId = await fundedWallet(app.baseUrl, '1000');

    const results = await concurrently(50, () => post(app.baseUrl, transactionsPath(walletId), { type: 'debit', amount: '100', pending: true }));

    expect(statuses(results).filter((status) => status >= 500)).toEqual([]);
    const holds = results.filter((r) => r.status === 201);
    expect(holds).toHaveLength(10);
    expectInsufficientFunds(results.filter((r) => r.status !== 201));
    expectNoNegativeBalance(results);
    for (const hold of holds) expect(hold.body.transaction).toMatchObject({ status: 'pending', amount: '100', type: 'debit' });
    const last = holds.reduce((a, b) => (BigInt(a.body.position) > BigInt(b.body.position) ? a : b));
    expect(last.body.balance).toEqual({ ledger: '1000', available: '0', pendingDebits: '1000', pendingCredits: '0' });
    expect(await countEvents(walletId)).toBe(1 + 1 + 10);

    // Settle all ten at once: the first five confirmed, the other five rejected.
    const ids = holds.map((hold) => hold.body.transaction.id as string);
    const toConfirm = ids.slice(0, 5);
    const toReject = ids.slice(5);
    const settled = await Promise.all([
      ...toConfirm.map((id) => post(app.baseUrl, settlePath(walletId, id, 'confirm'))),
      ...toReject.map((id) => post(app.baseUrl, settlePath(walletId, id, 'reject'), { reason: 'load test' })),
    ]);
    expect(statuses(settled)).toEqual(Array(10).fill(200));
    expectNoNegativeBalance(settled);
    expect(settled.slice(0, 5).map((r) => r.body.transaction.status)).toEqual(Array(5).fill('confirmed'));
    expect(settled.slice(5).map((r) => r.body.transaction.status)).toEqual(Array(5).fill('rejected'));

    // Final balance, read through one more command: 5 x 100 confirmed, 5 x 100 released.
    const topUp = await post(app.baseUrl, transactionsPath(walletId), { type: 'credit', amount: '1' });
    expect(topUp.body.balance).toEqual({ ledger: '501', available: '501', pendingDebits: '0', pendingCredits: '0' });

    const settlements = await settlementsByTransaction(walletId);
    expect(settlements.size).toBe(10);
    for (const id of toConfirm) expect(settlements.get(id)).toEqual(['HoldConfirmed']);
    for (const id of toReject) expect(settlements.get(id)).toEqual(['HoldRejected']);
    expect(await countEvents(walletId)).toBe(1 + 1 + 10 + 10 + 1);
  });

  it('a confirm racing a reject of the same hold: exactly one wins, the other gets TRANSACTION_NOT_PENDING', async () => {
    const walletId = await fundedWallet(app.baseUrl, '1000');
    const holds = await concurrently(10, () => post(app.baseUrl, transactionsPath(walletId), { type: 'debit', amount: '100', pending: true }));
    expect(statuses(holds)).toEqual(Array(10).fill(201));
    const ids = holds.map((hold) => hold.body.transaction.id as string);

    // For every hold, a confirm and a reject fired together (and a second confirm).
    const races = await Promise.all(
      ids.map((id) =>
        Promise.all([
          post(app.baseUrl, settlePath(walletId, id, 'confirm')),
          post(app.baseUrl, settlePath(walletId, id, 'reject')),
          post(app.baseUrl, settlePath(walletId, id, 'confirm')),
        ]),
      ),
    );

    let confirmedAmount = 0n;
    for (const race of races) {
      expect(statuses(race).filter((status) => status >= 500)).toEqual([]);
      const winners = race.filter((r) => r.status === 200);
      const losers = race.filter((r) => r.status !== 200);
      expect(winners).toHaveLength(1);
      for (const loser of losers) expect(loser.body).toMatchObject({ status: 409, code: 'TRANSACTION_NOT_PENDING' });
      if (winners[0]!.body.transaction.status === 'confirmed') confirmedAmount += 100n;
      expectNoNegativeBalance(race);
    }

    const settlements = await settlementsByTransaction(walletId);
    expect([...settlements.keys()].sort()).toEqual([...ids].sort());
    for (const types of settlements.values()) expect(types).toHaveLength(1);

    const remaining = (1000n - confirmedAmount).toString();
    const topUp = await post(app.baseUrl, transactionsPath(walletId), { type: 'credit', amount: '1' });
    expect(topUp.body.balance).toEqual({ ledger: (1000n - confirmedAmount + 1n).toString(), available: (BigInt(remaining) + 1n).toString(), pendingDebits: '0', pendingCredits: '0' });
  });

  it('mixed concurrent credits, debits and holds never overdraw and add up exactly', async () => {
    const walletId = await fundedWallet(app.baseUrl, '500');
    const commands = Array.from({ length: 60 }, (_, index) =>
      index % 3 === 0 ? { type: 'credit', amount: '50' } : index % 3 === 1 ? { type: 'debit', amount: '70' } : { type: 'debit', amount: '30', pending: true },
    );

    const results = await concurrently(commands.length, (index) => post(app.baseUrl, transactionsPath(walletId), commands[index]));

    expect(statuses(results).filter((status) => status >= 500)).toEqual([]);
    expectNoNegativeBalance(results);
    for (const [index, result] of results.entries()) {
      if (commands[index]!.type === 'credit') expect(result.status).toBe(201);
      else expect([201, 422]).toContain(result.status);
    }
    expectInsufficientFunds(results.filter((r) => r.status === 422));

    const sum = (predicate: (command: (typeof commands)[number]) => boolean) =>
      results.reduce((total, result, index) => (result.status === 201 && predicate(commands[index]!) ? total + BigInt(commands[index]!.amount) : total), 0n);
    const credited = 500n + sum((c) => c.type === 'credit');
    const debited = sum((c) => c.type === 'debit' && !('pending' in c));
    const reserved = sum((c) => 'pending' in c);

    const topUp = await post(app.baseUrl, transactionsPath(walletId), { type: 'credit', amount: '1' });
    expect(topUp.body.balance).toEqual({
      ledger: (credited - debited + 1n).toString(),
      available: (credited - debited - reserved + 1n).toString(),
      pendingDebits: reserved.toString(),
      pendingCredits: '0',
    });
    const accepted = results.filter((r) => r.status === 201).length;
    expect(await countEvents(walletId)).toBe(1 + 1 + accepted + 1);
  });

  it('a hot wallet: 200 concurrent commands share appends, each answered at its own position, replays unchanged', async () => {
    const walletId = await fundedWallet(app.baseUrl, '1000');
    const commands = Array.from({ length: 200 }, (_, index) => (index % 2 === 0 ? { type: 'credit', amount: '10' } : { type: 'debit', amount: '25' }));
    const keyOf = (index: number) => `hot-${walletId}-${index}`;
    const send = (index: number) => post(app.baseUrl, transactionsPath(walletId), commands[index], index % 4 === 0 ? { 'idempotency-key': keyOf(index) } : {});

    const results = await concurrently(commands.length, send);

    expect(statuses(results).filter((status) => status !== 201 && status !== 422)).toEqual([]);
    expectNoNegativeBalance(results);
    expectInsufficientFunds(results.filter((r) => r.status === 422));
    const accepted = results.filter((r) => r.status === 201);
    const { rows } = await app.database.pool.query<{ id: string; position: string; transaction_id: string }>(
      `select data->>'transactionId' as id, position::text, transaction_id::text from event_store.events where stream = $1 and type in ('FundsCredited', 'FundsDebited')`,
      [`wallet-${walletId}`],
    );
    const logged = new Map(rows.map((row) => [row.id, row.position]));
    // Each answer names its own event and position; nothing was written twice or left out.
    expect(rows).toHaveLength(1 + accepted.length);
    for (const result of accepted) expect(logged.get(result.body.transaction.id)).toBe(result.body.position);
    expect(new Set(accepted.map((r) => r.body.position)).size).toBe(accepted.length);
    // The commands waited for each other and were appended in shared transactions.
    expect(new Set(rows.map((row) => row.transaction_id)).size).toBeLessThan(accepted.length);

    const net = results.reduce((total, result, index) => (result.status !== 201 ? total : commands[index]!.type === 'credit' ? total + 10n : total - 25n), 1000n);
    const topUp = await post(app.baseUrl, transactionsPath(walletId), { type: 'credit', amount: '1' });
    expect(topUp.body.balance.ledger).toBe((net + 1n).toString());

    const replays = await Promise.all(results.map((result, index) => (index % 4 === 0 ? send(index).then((replay) => [result, replay] as const) : null)));
    for (const pair of replays.filter((p) => p !== null)) {
      expect(pair[1].status).toBe(pair[0].status);
      expect(pair[1].body).toEqual(pair[0].body);
    }
    expect(await countEvents(walletId)).toBe(1 + 1 + accepted.length + 1);
  });

  describe('two API processes on one database', () => {
    const second = useSecondApi(() => app);

    it('never refuses from a stale cache: funds credited through one process can be spent through the other at once', async () => {
      const from = await fundedWallet(app.baseUrl, '10');
      const to = await fundedWallet(app.baseUrl, '0');
      // Both wallets are now cached by the first process, the first one at 10.
      expect((await post(app.baseUrl, transactionsPath(from), { type: 'credit', amount: '1' })).status).toBe(201);
      expect((await post(second.url, transactionsPath(from), { type: 'credit', amount: '100' })).status).toBe(201);

      // A group decided on the stale state would refuse this transfer: it must be decided again.
      const transfer = await post(app.baseUrl, '/v1/transfers', { fromWalletId: from, toWalletId: to, amount: '60' });
      expect(transfer.status).toBe(201);
      expect((await post(second.url, transactionsPath(from), { type: 'credit', amount: '5' })).status).toBe(201);
      const debit = await post(app.baseUrl, transactionsPath(from), { type: 'debit', amount: '55' });
      expect(debit.status).toBe(201);
      expect(debit.body.balance.available).toBe('1');
      const refused = await post(app.baseUrl, transactionsPath(from), { type: 'debit', amount: '2' });
      expect(refused.body).toMatchObject({ status: 422, code: 'INSUFFICIENT_FUNDS' });
    });

    it('50 debits of 100 split across both: exactly 10 succeed, the rest are refused without a 500', async () => {
      const walletId = await fundedWallet(app.baseUrl, '1000');

      const results = await concurrently(50, (index) => post(index % 2 === 0 ? app.baseUrl : second.url, transactionsPath(walletId), { type: 'debit', amount: '100' }));

      // Cross-process races are settled by expected revisions; a command that keeps losing
      // may answer 503 WRITE_CONTENTION (retryable), never a 500.
      const accepted = results.filter((r) => r.status === 201);
      const refused = results.filter((r) => r.status !== 201);
      expect(accepted).toHaveLength(10);
      for (const result of refused) {
        expect(result.body.code).toMatch(/^(INSUFFICIENT_FUNDS|WRITE_CONTENTION)$/);
        expect(result.status).toBe(result.body.code === 'INSUFFICIENT_FUNDS' ? 422 : 503);
      }
      expectNoNegativeBalance(results);

      const topUp = await post(second.url, transactionsPath(walletId), { type: 'credit', amount: '1' });
      expect(topUp.body.balance).toEqual({ ledger: '1', available: '1', pendingDebits: '0', pendingCredits: '0' });
      expect(await countEvents(walletId)).toBe(1 + 1 + 10 + 1);
      expect(await countEvents(walletId, ['FundsDebited'])).toBe(10);
    });
  });
});
