import { get, post } from './support/http';
import { READ_SIDE_ENV, getAfter } from './support/read-model';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The same walk through the API on each event store: open, credit, hold, confirm, a group,
 * the feed, and a balance at a position; then the payment lifecycle (increases, partial
 * captures, reversals, a group reversal), alone and raced. KurrentDB is the in-process protocol double here, or
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

  it('walks the payment lifecycle: hold, increase, partial and final capture, reversal, group reversal, and feeds every new event', async () => {
    const [alice, bob] = [await open(), await open()];
    await post(app.baseUrl, `/v1/wallets/${alice}/transactions`, { type: 'credit', amount: '1000' });
    const balanceOf = (result: { status: number; body: any }) => [result.status, result.body.balance];
    const hold = await post(app.baseUrl, `/v1/wallets/${alice}/transactions`, { type: 'debit', amount: '300', pending: true });
    const holdPath = `/v1/wallets/${alice}/transactions/${hold.body.transaction.id}`;

    const increased = await post(app.baseUrl, `${holdPath}/increase`, { amount: '100' });
    expect(balanceOf(increased)).toEqual([200, { ledger: '1000', available: '600', pendingDebits: '400', pendingCredits: '0' }]);
    const part = await post(app.baseUrl, `${holdPath}/confirm`, { amount: '150', final: false });
    expect(balanceOf(part)).toEqual([200, { ledger: '850', available: '600', pendingDebits: '250', pendingCredits: '0' }]);
    const last = await post(app.baseUrl, `${holdPath}/confirm`, { amount: '100', final: true });
    expect(balanceOf(last)).toEqual([200, { ledger: '750', available: '750', pendingDebits: '0', pendingCredits: '0' }]);
    const reversed = await post(app.baseUrl, `${holdPath}/reverse`, { amount: '50', reason: 'partial refund' });
    expect(balanceOf(reversed)).toEqual([201, { ledger: '800', available: '800', pendingDebits: '0', pendingCredits: '0' }]);
    const tooMuch = await post(app.baseUrl, `${holdPath}/reverse`, { amount: '201' });
    expect([tooMuch.status, tooMuch.body.code]).toEqual([422, 'REVERSAL_EXCEEDS_ORIGINAL']);

    const transfer = await post(app.baseUrl, '/v1/transfers', { fromWalletId: alice, toWalletId: bob, amount: '300' });
    const groupReversed = await post(app.baseUrl, `/v1/transaction-groups/${transfer.body.group.id}/reverse`, { reason: 'chargeback' });
    expect([groupReversed.status, groupReversed.body.group.status]).toEqual([201, 'completed']);
    const again = await post(app.baseUrl, `/v1/transaction-groups/${transfer.body.group.id}/reverse`, {});
    expect([again.status, again.body.code]).toEqual([409, 'GROUP_NOT_REVERSIBLE']);

    const balances = await Promise.all([alice, bob].map((id) => getAfter(app, `/v1/wallets/${id}`, groupReversed.body.position)));
    expect(balances.map((wallet) => wallet.body.balance.ledger)).toEqual(['800', '0']);
    const feed = await get(app.baseUrl, `/v1/events?after=0&walletId=${alice}`);
    expect((feed.body.items as { type: string }[]).map((item) => item.type)).toEqual([
      'WalletOpened', 'FundsCredited', 'HoldPlaced', 'HoldIncreased', 'HoldCaptured', 'HoldCaptured', 'TransactionReversed', 'FundsDebited', 'TransactionReversed',
    ]);
    const captures = (feed.body.items as { type: string; schemaVersion: number; data: any }[]).filter((item) => item.type === 'HoldCaptured');
    expect(captures.map((item) => [item.schemaVersion, item.data.amountMinor, item.data.releasedMinor, item.data.final])).toEqual([[1, '150', '0', false], [1, '100', '150', true]]);
    const groups = await get(app.baseUrl, `/v1/events?after=${transfer.body.position}&types=TransactionGroupReversed`);
    expect((groups.body.items as { data: any }[]).map((item) => [item.data.groupId, item.data.reversedBy])).toEqual([[transfer.body.group.id, groupReversed.body.group.id]]);
  });

  it('under 30 concurrent partial captures and 30 reversals: exactly 10 of each, captured and reversed once', async () => {
    const walletId = await open();
    const transactions = `/v1/wallets/${walletId}/transactions`;
    await post(app.baseUrl, transactions, { type: 'credit', amount: '1000' });
    const hold = await post(app.baseUrl, transactions, { type: 'debit', amount: '105', pending: true });
    const debit = await post(app.baseUrl, transactions, { type: 'debit', amount: '100' });
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) =>
      i % 2 === 0
        ? post(app.baseUrl, `${transactions}/${hold.body.transaction.id}/confirm`, { amount: '10', final: false })
        : post(app.baseUrl, `${transactions}/${debit.body.transaction.id}/reverse`, { amount: '10' })));
    const [captures, reversals] = [results.filter((_, i) => i % 2 === 0), results.filter((_, i) => i % 2 === 1)];
    expect([captures.filter((r) => r.status === 200).length, reversals.filter((r) => r.status === 201).length]).toEqual([10, 10]);
    for (const refused of captures.filter((r) => r.status !== 200)) expect(refused.body.code).toBe('AMOUNT_EXCEEDS_HOLD');
    for (const refused of reversals.filter((r) => r.status !== 201)) expect(refused.body.code).toBe('REVERSAL_EXCEEDS_ORIGINAL');

    const last = results.filter((r) => r.status < 300).map((r) => BigInt(r.body.position)).reduce((a, b) => (a > b ? a : b));
    const wallet = await getAfter(app, `/v1/wallets/${walletId}`, last);
    expect(wallet.body.balance).toEqual({ ledger: '900', available: '895', pendingDebits: '5', pendingCredits: '0' });
    const feed = await get(app.baseUrl, `/v1/events?after=0&walletId=${walletId}&types=HoldCaptured,TransactionReversed`);
    expect((feed.body.items as { type: string }[]).map((item) => item.type).sort()).toEqual([...Array(10).fill('HoldCaptured'), ...Array(10).fill('TransactionReversed')]);
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
