import { get, post } from './support/http';
import { READ_SIDE_ENV, getAfter } from './support/read-model';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The same walk through the API on each event store: open, credit, hold, confirm, a group,
 * the feed, and a balance at a position. KurrentDB is the in-process protocol double here, or
 * the server KURRENTDB_URL names (`npm run test:kurrentdb`).
 */
describe.each(['postgres', 'kurrentdb'] as const)('the API on the %s event store', (eventStore) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ eventStore, env: READ_SIDE_ENV });
  });
  afterAll(async () => app.close());

  const open = async (): Promise<string> => {
    const opened = await post(app.baseUrl, '/v1/wallets', { type: 'main', currency: 'USD' });
    expect(opened.status).toBe(201);
    return opened.body.id as string;
  };

  it('opens, credits, holds, confirms, groups, feeds and answers a balance at a position', async () => {
    const [alice, bob] = [await open(), await open()];
    const credit = await post(app.baseUrl, `/v1/wallets/${alice}/transactions`, { type: 'credit', amount: '1000' });
    expect(credit.status).toBe(201);
    const afterCredit = credit.body.position as string;

    const hold = await post(app.baseUrl, `/v1/wallets/${alice}/transactions`, { type: 'debit', amount: '300', pending: true });
    expect([hold.status, hold.body.balance.available]).toEqual([201, '700']);
    const confirmed = await post(app.baseUrl, `/v1/wallets/${alice}/transactions/${hold.body.transaction.id}/confirm`);
    expect([confirmed.status, confirmed.body.transaction.status, confirmed.body.balance.ledger]).toEqual([200, 'confirmed', '700']);

    const group = await post(app.baseUrl, '/v1/transaction-groups', {
      transactions: [{ walletId: alice, type: 'debit', amount: '200' }, { walletId: bob, type: 'credit', amount: '200' }],
    });
    expect([group.status, group.body.group.status]).toEqual([201, 'completed']);
    const legPositions = (group.body.group.transactions as { position: string }[]).map((leg) => BigInt(leg.position));
    expect(legPositions.every((position) => position > 0n && position <= BigInt(group.body.position))).toBe(true);
    const overdraw = await post(app.baseUrl, '/v1/transfers', { fromWalletId: bob, toWalletId: alice, amount: '201' });
    expect([overdraw.status, overdraw.body.code]).toEqual([422, 'INSUFFICIENT_FUNDS']);

    const balances = await Promise.all([alice, bob].map((id) => getAfter(app, `/v1/wallets/${id}`, group.body.position)));
    expect(balances.map((wallet) => wallet.body.balance.ledger)).toEqual(['500', '200']);
    const atCredit = await getAfter(app, `/v1/wallets/${alice}/balance?atPosition=${afterCredit}`, group.body.position);
    expect([atCredit.status, atCredit.body.ledger, atCredit.body.available]).toEqual([200, '1000', '1000']);

    const feed = await get(app.baseUrl, `/v1/events?after=0&walletId=${alice}`);
    expect(feed.status).toBe(200);
    expect((feed.body.items as { type: string }[]).map((item) => item.type)).toEqual(['WalletOpened', 'FundsCredited', 'HoldPlaced', 'HoldConfirmed', 'FundsDebited']);
    const positions = (feed.body.items as { position: string }[]).map((item) => BigInt(item.position));
    expect(positions.every((position, index) => index === 0 || positions[index - 1]! < position)).toBe(true);
    expect(positions).toContain(BigInt(afterCredit));
    const ready = await get(app.baseUrl, '/health/ready');
    expect([ready.status, ready.body.checks.projector.headPosition]).toEqual([200, group.body.position]);
  });

  it('under 40 concurrent debits and transfers on one wallet: never overdrawn, every success recorded once', async () => {
    const [payer, payee] = [await open(), await open()];
    await post(app.baseUrl, `/v1/wallets/${payer}/transactions`, { type: 'credit', amount: '1000' });
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) =>
      i % 2 === 0
        ? post(app.baseUrl, `/v1/wallets/${payer}/transactions`, { type: 'debit', amount: '100' })
        : post(app.baseUrl, '/v1/transfers', { fromWalletId: payer, toWalletId: payee, amount: '100' })));
    const accepted = results.filter((result) => result.status === 201);
    expect(accepted).toHaveLength(10);
    for (const refused of results.filter((result) => result.status !== 201)) expect(refused.body.code).toBe('INSUFFICIENT_FUNDS');

    const last = accepted.map((result) => BigInt(result.body.position)).reduce((a, b) => (a > b ? a : b));
    const [payerNow, payeeNow] = await Promise.all([payer, payee].map((id) => getAfter(app, `/v1/wallets/${id}`, last)));
    expect([payerNow.body.balance.available, BigInt(payeeNow.body.balance.ledger) + BigInt(payerNow.body.balance.ledger)]).toEqual(['0', 1000n - 100n * BigInt(accepted.filter((r) => !r.body.group).length)]);
    const feed = await get(app.baseUrl, `/v1/events?after=0&walletId=${payer}&types=FundsDebited`);
    expect(feed.body.items).toHaveLength(10);
  });
});
