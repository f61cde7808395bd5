import { fundedWallet, post } from './support/http';
import { startTestApp, type TestApp } from './support/test-app';

describe('transaction groups over HTTP', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app.close());

  const eventCount = async (): Promise<number> => Number((await app.database.pool.query('select count(*) from event_store.events')).rows[0].count);

  it('records every leg at once and answers the group with its legs in order', async () => {
    const [a, b, c] = [await fundedWallet(app.baseUrl, '1000'), await fundedWallet(app.baseUrl, '0'), await fundedWallet(app.baseUrl, '0')];
    const result = await post(app.baseUrl, '/v1/transaction-groups', {
      description: 'split',
      transactions: [
        { walletId: a, type: 'debit', amount: '600' },
        { walletId: b, type: 'credit', amount: '400' },
        { walletId: c, type: 'credit', amount: '200', description: 'fee' },
      ],
    });
    expect(result.status).toBe(201);
    expect(result.body.group).toMatchObject({ status: 'completed', description: 'split', expiresAt: null });
    expect(result.body.group.transactions.map((t: any) => [t.walletId, t.type, t.amount, t.status, t.groupId])).toEqual([
      [a, 'debit', '600', 'confirmed', result.body.group.id],
      [b, 'credit', '400', 'confirmed', result.body.group.id],
      [c, 'credit', '200', 'confirmed', result.body.group.id],
    ]);
    expect(result.body.position).toMatch(/^[0-9]+$/);
  });

  it('records nothing anywhere when the third leg lacks funds: 422 with legIndex 2', async () => {
    const [a, b, poor] = [await fundedWallet(app.baseUrl, '500'), await fundedWallet(app.baseUrl, '0'), await fundedWallet(app.baseUrl, '10')];
    const before = await eventCount();
    const result = await post(app.baseUrl, '/v1/transaction-groups', {
      transactions: [
        { walletId: a, type: 'debit', amount: '100' },
        { walletId: b, type: 'credit', amount: '150' },
        { walletId: poor, type: 'debit', amount: '50' },
      ],
    });
    expect(result.status).toBe(422);
    expect(result.body).toMatchObject({ code: 'INSUFFICIENT_FUNDS', legIndex: 2 });
    expect(await eventCount()).toBe(before);
  });

  it('judges a wallet\'s legs together: two debits that each fit but not both fail on the second', async () => {
    const [a, b] = [await fundedWallet(app.baseUrl, '100'), await fundedWallet(app.baseUrl, '0')];
    const result = await post(app.baseUrl, '/v1/transaction-groups', {
      transactions: [
        { walletId: a, type: 'debit', amount: '60' },
        { walletId: b, type: 'credit', amount: '120' },
        { walletId: a, type: 'debit', amount: '60' },
      ],
    });
    expect(result.status).toBe(422);
    expect(result.body).toMatchObject({ code: 'INSUFFICIENT_FUNDS', legIndex: 2 });
  });

  it('refuses wallets of different currencies with CURRENCY_MISMATCH', async () => {
    const [usd, eur] = [await fundedWallet(app.baseUrl, '100'), await fundedWallet(app.baseUrl, '0', 'EUR')];
    const result = await post(app.baseUrl, '/v1/transfers', { fromWalletId: usd, toWalletId: eur, amount: '10' });
    expect(result.status).toBe(422);
    expect(result.body).toMatchObject({ code: 'CURRENCY_MISMATCH', legIndex: 1 });
  });

  it('holds a pending group, refuses settling a leg alone, then confirms all legs together', async () => {
    const [a, b] = [await fundedWallet(app.baseUrl, '100'), await fundedWallet(app.baseUrl, '0')];
    const pending = await post(app.baseUrl, '/v1/transfers', { fromWalletId: a, toWalletId: b, amount: '70', pending: true });
    expect(pending.status).toBe(201);
    expect(pending.body.group.status).toBe('pending');
    const [debit] = pending.body.group.transactions;
    const alone = await post(app.baseUrl, `/v1/wallets/${a}/transactions/${debit.id}/confirm`);
    expect(alone.status).toBe(409);
    expect(alone.body.code).toBe('TRANSACTION_PART_OF_GROUP');
    const overdraw = await post(app.baseUrl, `/v1/wallets/${a}/transactions`, { type: 'debit', amount: '31' });
    expect(overdraw.body.code).toBe('INSUFFICIENT_FUNDS');
    const confirmed = await post(app.baseUrl, `/v1/transaction-groups/${pending.body.group.id}/confirm`);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.group.status).toBe('completed');
    expect(confirmed.body.group.transactions.map((t: any) => t.status)).toEqual(['confirmed', 'confirmed']);
    const again = await post(app.baseUrl, `/v1/transaction-groups/${pending.body.group.id}/reject`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('GROUP_NOT_PENDING');
  });

  it('rejects a pending group, releasing every reserved debit', async () => {
    const [a, b] = [await fundedWallet(app.baseUrl, '100'), await fundedWallet(app.baseUrl, '0')];
    const pending = await post(app.baseUrl, '/v1/transfers', { fromWalletId: a, toWalletId: b, amount: '100', pending: true });
    const rejected = await post(app.baseUrl, `/v1/transaction-groups/${pending.body.group.id}/reject`, { reason: 'cancelled' });
    expect(rejected.body.group.status).toBe('rejected');
    expect(rejected.body.group.transactions.map((t: any) => [t.status, t.rejectReason])).toEqual([['rejected', 'cancelled'], ['rejected', 'cancelled']]);
    const spend = await post(app.baseUrl, `/v1/wallets/${a}/transactions`, { type: 'debit', amount: '100' });
    expect(spend.status).toBe(201);
  });

  it('answers unknown groups and wallets with 404', async () => {
    const missing = await post(app.baseUrl, '/v1/transaction-groups/01a1fde4-2bc7-757a-b1e8-a7843fdae199/confirm');
    expect(missing.body.code).toBe('GROUP_NOT_FOUND');
    const a = await fundedWallet(app.baseUrl, '100');
    const unknownWallet = await post(app.baseUrl, '/v1/transfers', { fromWalletId: a, toWalletId: '01a1fde4-2bc7-757a-b1e8-a7843fdae199', amount: '1' });
    expect(unknownWallet.status).toBe(404);
    expect(unknownWallet.body).toMatchObject({ code: 'WALLET_NOT_FOUND', legIndex: 1 });
  });
});
