import { randomUUID } from 'node:crypto';
import { type HttpResult, fundedWallet, post } from './support/http';
import { actionPath, groupReversePath, placeHold, transactionsPath } from './support/lifecycle';
import { startTestApp, type TestApp } from './support/test-app';

/** The Idempotency-Key contract of API.md for captures, reversals and group reversals. */
describe('Idempotency-Key on the payment lifecycle', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app.close());

  const newKey = () => `key-${randomUUID()}`;
  const withKey = (key: string) => ({ 'idempotency-key': key });
  const isReplay = (result: HttpResult) => result.headers.get('idempotency-replayed') === 'true';

  async function count(sql: string, params: unknown[] = []): Promise<number> {
    const { rows } = await app.database.pool.query<{ count: string }>(sql, params);
    return Number(rows[0]!.count);
  }
  /** Events appended under this key (the key is kept in each event's metadata). */
  const eventsWithKey = (key: string, type: string) =>
    count(`select count(*) from event_store.events where metadata->>'idempotencyKey' = $1 and type = $2`, [key, type]);
  const allEvents = () => count('select count(*) from event_store.events');

  /** Sends the same request twice with one key: the second is the first's answer again, and nothing more is applied. */
  async function expectReplayed(path: string, body: unknown, status: number, eventType: string): Promise<HttpResult> {
    const key = newKey();
    const first = await post(app.baseUrl, path, body, withKey(key));
    expect([first.status, isReplay(first)]).toEqual([status, false]);
    const before = await allEvents();
    const second = await post(app.baseUrl, path, body, withKey(key));
    expect([second.status, isReplay(second)]).toEqual([status, true]);
    expect(second.body).toEqual(first.body);
    expect(await allEvents()).toBe(before);
    expect(await eventsWithKey(key, eventType)).toBe(1);
    return first;
  }

  /** The same key with another amount: 422 IDEMPOTENCY_KEY_REUSED and nothing appended. */
  async function expectReuseRefused(path: string, body: Record<string, unknown>, status: number): Promise<void> {
    const key = newKey();
    expect((await post(app.baseUrl, path, body, withKey(key))).status).toBe(status);
    const before = await allEvents();
    const reused = await post(app.baseUrl, path, { ...body, amount: '2' }, withKey(key));
    expect(reused.body).toMatchObject({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(isReplay(reused)).toBe(false);
    expect(await allEvents()).toBe(before);
  }

  it('a partial capture sent twice with one key is captured once', async () => {
    const walletId = await fundedWallet(app.baseUrl, '1000');
    const hold = await placeHold(app.baseUrl, walletId, '300');
    const first = await expectReplayed(actionPath(walletId, hold.id, 'confirm'), { amount: '100', final: false }, 200, 'HoldCaptured');
    expect(first.body.balance).toEqual({ ledger: '900', available: '700', pendingDebits: '200', pendingCredits: '0' });
    await expectReuseRefused(actionPath(walletId, hold.id, 'confirm'), { amount: '1', final: false }, 200);
  });

  it('a reversal sent twice with one key records one reversal', async () => {
    const walletId = await fundedWallet(app.baseUrl, '1000');
    const debit = await post(app.baseUrl, transactionsPath(walletId), { type: 'debit', amount: '100' });
    const path = actionPath(walletId, debit.body.transaction.id, 'reverse');
    const first = await expectReplayed(path, { amount: '40', reason: 'refund', metadata: { ticket: 7 } }, 201, 'TransactionReversed');
    expect(first.body.balance.ledger).toBe('940');
    await expectReuseRefused(path, { amount: '1' }, 201);
  });

  it('a group reversal sent twice with one key reverses the group once', async () => {
    const [payer, payee] = [await fundedWallet(app.baseUrl, '1000'), await fundedWallet(app.baseUrl, '0')];
    const transfer = await post(app.baseUrl, '/v1/transfers', { fromWalletId: payer, toWalletId: payee, amount: '250' });
    const first = await expectReplayed(groupReversePath(transfer.body.group.id), { reason: 'chargeback' }, 201, 'TransactionGroupReversed');
    expect(first.body.group.reversalOf).toBe(transfer.body.group.id);
    const key = newKey();
    const other = await post(app.baseUrl, groupReversePath(transfer.body.group.id), { reason: 'chargeback' }, withKey(key));
    expect(other.body).toMatchObject({ status: 409, code: 'GROUP_NOT_REVERSIBLE' });
  });

  it('20 concurrent sends of one reversal with one key: one reversal, every other answer a replay or IN_PROGRESS', async () => {
    const walletId = await fundedWallet(app.baseUrl, '1000');
    const debit = await post(app.baseUrl, transactionsPath(walletId), { type: 'debit', amount: '100' });
    const key = newKey();
    const send = () => post(app.baseUrl, actionPath(walletId, debit.body.transaction.id, 'reverse'), { amount: '30' }, withKey(key));

    const results = await Promise.all(Array.from({ length: 20 }, send));

    const applied = results.filter((result) => result.status === 201 && !isReplay(result));
    expect(applied).toHaveLength(1);
    for (const result of results.filter((r) => r !== applied[0])) {
      if (result.status === 409) expect(result.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_IN_PROGRESS' });
      else expect([result.status, isReplay(result), result.body]).toEqual([201, true, applied[0]!.body]);
    }
    expect(await eventsWithKey(key, 'TransactionReversed')).toBe(1);
    expect(await count("select count(*) from event_store.events where stream = $1 and type = 'TransactionReversed'", [`wallet-${walletId}`])).toBe(1);
    const later = await send();
    expect([later.status, isReplay(later), later.body]).toEqual([201, true, applied[0]!.body]);
    expect(later.body.balance.ledger).toBe('930');
  });
});
