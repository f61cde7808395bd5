import { type HttpResult, fundedWallet, get, post } from './support/http';
import { READ_SIDE_ENV, getAfter } from './support/read-model';
import { startTestApp, type TestApp } from './support/test-app';
import { eventually } from './support/eventually';

/**
 * Group reversals over real HTTP: every leg reversed in full as a new completed group, all or
 * nothing across wallets, once; and the lifecycle's new events in the event feed.
 */

function expectProblem(result: HttpResult, status: number, code: string): void {
  expect({ status: result.status, code: result.body?.code }).toEqual({ status, code });
}

type Leg = { walletId: string; type: string; amount: string; status: string; groupId: string; reversalOf: string | null };

describe('group reversals over HTTP', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: READ_SIDE_ENV });
  });
  afterAll(async () => app.close());

  const reverse = (groupId: string, body?: unknown) => post(app.baseUrl, `/v1/transaction-groups/${groupId}/reverse`, body);
  const ledgerOf = async (walletId: string, position: string): Promise<string> => (await getAfter(app, `/v1/wallets/${walletId}`, position)).body.balance.ledger;
  /** Events of these wallets' streams and of every group stream: what a refused reversal must leave alone. */
  const eventsTouching = async (walletIds: string[]): Promise<number> => {
    const streams = walletIds.map((id) => `wallet-${id}`);
    const { rows } = await app.database.pool.query("select count(*) from event_store.events where stream = any($1) or stream like 'group-%'", [streams]);
    return Number(rows[0].count);
  };
  const split = async () => {
    const [a, b, c] = [await fundedWallet(app.baseUrl, '1000'), await fundedWallet(app.baseUrl, '0'), await fundedWallet(app.baseUrl, '0')];
    const recorded = await post(app.baseUrl, '/v1/transaction-groups', {
      description: 'split',
      transactions: [
        { walletId: a, type: 'debit', amount: '600' },
        { walletId: b, type: 'credit', amount: '400' },
        { walletId: c, type: 'credit', amount: '200' },
      ],
    });
    expect(recorded.status).toBe(201);
    return { a, b, c, group: recorded.body.group, position: recorded.body.position as string };
  };

  it('reverses every leg in full as a new completed group whose legs name their originals', async () => {
    const { a, b, c, group } = await split();
    const reversed = await reverse(group.id, { reason: 'chargeback' });
    expect(reversed.status).toBe(201);
    const reversal = reversed.body.group;
    expect(reversal).toMatchObject({ status: 'completed', description: 'chargeback', reversalOf: group.id, reversedBy: null, expiresAt: null, metadata: {} });
    expect(reversal.id).not.toBe(group.id);
    expect(reversal.transactions.map((leg: Leg) => [leg.walletId, leg.type, leg.amount, leg.status, leg.groupId, leg.reversalOf])).toEqual([
      [a, 'credit', '600', 'confirmed', reversal.id, group.transactions[0].id],
      [b, 'debit', '400', 'confirmed', reversal.id, group.transactions[1].id],
      [c, 'debit', '200', 'confirmed', reversal.id, group.transactions[2].id],
    ]);
    expect(reversal.transactions.map((leg: { description: string }) => leg.description)).toEqual(['chargeback', 'chargeback', 'chargeback']);
    const position = reversed.body.position;
    expect([await ledgerOf(a, position), await ledgerOf(b, position), await ledgerOf(c, position)]).toEqual(['1000', '0', '0']);
  });

  it('reverses a group once, and never a reversal group: GROUP_NOT_REVERSIBLE', async () => {
    const { a, b, c, group } = await split();
    const first = await reverse(group.id);
    expect(first.status).toBe(201);
    expect(first.body.group.description).toBeNull();
    const events = await eventsTouching([a, b, c]);
    expectProblem(await reverse(group.id), 409, 'GROUP_NOT_REVERSIBLE');
    expectProblem(await reverse(first.body.group.id, { reason: 'undo the undo' }), 409, 'GROUP_NOT_REVERSIBLE');
    expect(await eventsTouching([a, b, c])).toBe(events);
  });

  it('replays a group reversal sent again under the same Idempotency-Key, recording it once', async () => {
    const { a, b, c, group } = await split();
    const key = { 'idempotency-key': `reverse-${group.id}` };
    const first = await post(app.baseUrl, `/v1/transaction-groups/${group.id}/reverse`, { reason: 'dispute' }, key);
    expect(first.status).toBe(201);
    const events = await eventsTouching([a, b, c]);
    const again = await post(app.baseUrl, `/v1/transaction-groups/${group.id}/reverse`, { reason: 'dispute' }, key);
    expect([again.status, again.headers.get('idempotency-replayed'), again.body]).toEqual([201, 'true', first.body]);
    expect(await eventsTouching([a, b, c])).toBe(events);
  });

  it('refuses a pending or a rejected group: GROUP_NOT_REVERSIBLE', async () => {
    const [from, to] = [await fundedWallet(app.baseUrl, '100'), await fundedWallet(app.baseUrl, '0')];
    const pending = await post(app.baseUrl, '/v1/transfers', { fromWalletId: from, toWalletId: to, amount: '30', pending: true });
    expectProblem(await reverse(pending.body.group.id), 409, 'GROUP_NOT_REVERSIBLE');
    await post(app.baseUrl, `/v1/transaction-groups/${pending.body.group.id}/reject`);
    expectProblem(await reverse(pending.body.group.id), 409, 'GROUP_NOT_REVERSIBLE');
  });

  it('records nothing on any wallet when one leg is short of funds, naming that leg; reverses once the funds are there', async () => {
    const [from, to] = [await fundedWallet(app.baseUrl, '100'), await fundedWallet(app.baseUrl, '0')];
    const transfer = await post(app.baseUrl, '/v1/transfers', { fromWalletId: from, toWalletId: to, amount: '100' });
    const spent = await post(app.baseUrl, `/v1/wallets/${to}/transactions`, { type: 'debit', amount: '60' });
    expect(spent.body.balance.available).toBe('40');
    const events = await eventsTouching([from, to]);
    const short = await reverse(transfer.body.group.id);
    expectProblem(short, 422, 'INSUFFICIENT_FUNDS');
    expect(short.body.legIndex).toBe(1);
    expect(await eventsTouching([from, to])).toBe(events);
    expect([await ledgerOf(from, spent.body.position), await ledgerOf(to, spent.body.position)]).toEqual(['0', '40']);

    const topUp = await post(app.baseUrl, `/v1/wallets/${to}/transactions`, { type: 'credit', amount: '60' });
    expect(topUp.status).toBe(201);
    const reversed = await reverse(transfer.body.group.id);
    expect(reversed.status).toBe(201);
    expect([await ledgerOf(from, reversed.body.position), await ledgerOf(to, reversed.body.position)]).toEqual(['100', '0']);
  });

  it('answers an unknown group with 404 and refuses fields it does not take', async () => {
    expectProblem(await reverse('01a1fde4-2bc7-757a-b1e8-a7843fdae199'), 404, 'GROUP_NOT_FOUND');
    const { group } = await split();
    expectProblem(await reverse(group.id, { reason: 'x', note: 'n-1' }), 400, 'VALIDATION_FAILED');
    expectProblem(await reverse(group.id, { reason: 'x', reference: '' }), 400, 'VALIDATION_FAILED');
    expectProblem(await reverse(group.id, { reason: 'x'.repeat(501) }), 400, 'VALIDATION_FAILED');
  });

  it('shows reversalOf and reversedBy on both groups as the read model has them', async () => {
    const { group } = await split();
    const reversed = await reverse(group.id, { reason: 'chargeback' });
    const reversalId = reversed.body.group.id;
    const original = await getAfter(app, `/v1/transaction-groups/${group.id}`, reversed.body.position);
    expect(original.body).toMatchObject({ id: group.id, status: 'completed', reversalOf: null, reversedBy: reversalId });
    expect(original.body.transactions.map((leg: { reversedAmount: string }) => leg.reversedAmount)).toEqual(['600', '400', '200']);
    const reversal = await getAfter(app, `/v1/transaction-groups/${reversalId}`, reversed.body.position);
    expect(reversal.body).toMatchObject({ id: reversalId, status: 'completed', description: 'chargeback', reversalOf: group.id, reversedBy: null });
    expect(reversal.body.transactions.map((leg: Leg) => leg.reversalOf)).toEqual(group.transactions.map((leg: { id: string }) => leg.id));
  });

  describe('the event feed', () => {
    /** The feed page once it has caught up with `position` (another database's open transaction can hold it back a moment). */
    async function feedUpTo(query: string, position: string): Promise<HttpResult> {
      const page = await eventually(() => get(app.baseUrl, `/v1/events?${query}`), (read) => read.status !== 200 || BigInt(read.body.nextAfter) >= BigInt(position));
      expect(page.status).toBe(200);
      return page;
    }

    it('carries captures, increases and reversals, filtered by their types, each with its schemaVersion', async () => {
      const walletId = await fundedWallet(app.baseUrl, '1000');
      const transactions = `/v1/wallets/${walletId}/transactions`;
      const hold = (await post(app.baseUrl, transactions, { type: 'debit', amount: '100', pending: true })).body.transaction.id;
      await post(app.baseUrl, `${transactions}/${hold}/confirm`, { amount: '30', final: false });
      await post(app.baseUrl, `${transactions}/${hold}/increase`, { amount: '10' });
      await post(app.baseUrl, `${transactions}/${hold}/confirm`, { amount: '50' });
      const reversed = await post(app.baseUrl, `${transactions}/${hold}/reverse`, { amount: '20', reason: 'refund' });
      const page = await feedUpTo(`walletId=${walletId}&types=HoldCaptured,HoldIncreased,TransactionReversed`, reversed.body.position);
      expect(page.body.items.map((item: { type: string; schemaVersion: number }) => [item.type, item.schemaVersion])).toEqual([
        ['HoldCaptured', 1],
        ['HoldIncreased', 1],
        ['HoldCaptured', 1],
        ['TransactionReversed', 1],
      ]);
      const [partial, increase, last, reversal] = page.body.items.map((item: { data: Record<string, unknown> }) => item.data);
      expect(partial).toMatchObject({ walletId, transactionId: hold, transactionType: 'debit', amountMinor: '30', releasedMinor: '0', final: false });
      expect(increase).toMatchObject({ transactionId: hold, amountMinor: '10' });
      expect(last).toMatchObject({ transactionId: hold, amountMinor: '50', releasedMinor: '30', final: true });
      expect(reversal).toMatchObject({ transactionId: reversed.body.transaction.id, reversalOf: hold, transactionType: 'credit', amountMinor: '20', description: 'refund' });
    });

    it('carries a group reversal: the reversed group names its reversal, the new group its original', async () => {
      const { group, position } = await split();
      const reversed = await reverse(group.id);
      const reversalId = reversed.body.group.id;
      const page = await feedUpTo(`after=${position}&types=TransactionGroupRecorded,TransactionGroupReversed`, reversed.body.position);
      const items = page.body.items as { type: string; streamId: string; schemaVersion: number; data: Record<string, unknown> }[];
      expect(items.find((item) => item.type === 'TransactionGroupReversed')).toMatchObject({ streamId: `group-${group.id}`, schemaVersion: 1, data: { groupId: group.id, reversedBy: reversalId } });
      expect(items.find((item) => item.streamId === `group-${reversalId}`)).toMatchObject({ type: 'TransactionGroupRecorded', schemaVersion: 1, data: { groupId: reversalId, reversalOf: group.id } });
    });

    it('refuses an unknown type in the filter', async () => {
      expectProblem(await get(app.baseUrl, '/v1/events?types=HoldCaptured,HoldRefunded'), 400, 'VALIDATION_FAILED');
    });
  });
});
