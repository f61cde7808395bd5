import { issueKey } from './support/callers';
import { FakeClock } from './support/fake-clock';
import { type HttpResult, fundedWallet, post } from './support/http';
import { READ_SIDE_ENV, getAfter } from './support/read-model';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The payment lifecycle of one wallet over real HTTP: partial and repeated captures, hold
 * increases and reversals, with the balances each answer gives after every step, and the
 * transactions as the read model then shows them.
 */

type Balance = { ledger: string; available: string; pendingDebits: string; pendingCredits: string };

const balance = (ledger: number, pendingDebits = 0, pendingCredits = 0): Balance => ({
  ledger: String(ledger),
  available: String(ledger - pendingDebits),
  pendingDebits: String(pendingDebits),
  pendingCredits: String(pendingCredits),
});

/** The lifecycle amounts of a Transaction, in the order API.md lists them. */
const amounts = (amount: number, held: number, captured: number, released: number, reversed = 0) => ({
  amount: String(amount),
  heldAmount: String(held),
  capturedAmount: String(captured),
  releasedAmount: String(released),
  reversedAmount: String(reversed),
});

function expectProblem(result: HttpResult, status: number, code: string): void {
  expect({ status: result.status, code: result.body?.code }).toEqual({ status, code });
}

describe('the payment lifecycle over HTTP', () => {
  const clock = new FakeClock(Date.parse('2031-06-01T09:00:00.000Z'));
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ clock, env: READ_SIDE_ENV });
  });
  afterAll(async () => app.close());

  const transactions = (walletId: string) => `/v1/wallets/${walletId}/transactions`;
  const record = async (walletId: string, body: Record<string, unknown>, headers?: Record<string, string>) => {
    const recorded = await post(app.baseUrl, transactions(walletId), body, headers);
    expect(recorded.status).toBe(201);
    return recorded.body;
  };
  const hold = async (walletId: string, type: 'credit' | 'debit', amount: string, extra: Record<string, unknown> = {}): Promise<string> =>
    (await record(walletId, { type, amount, pending: true, ...extra })).transaction.id;
  const act = (walletId: string, transactionId: string, action: 'confirm' | 'increase' | 'reject' | 'reverse', body?: unknown, headers?: Record<string, string>) =>
    post(app.baseUrl, `${transactions(walletId)}/${transactionId}/${action}`, body, headers);
  const eventsOf = async (walletId: string): Promise<number> =>
    Number((await app.database.pool.query('select count(*) from event_store.events where stream = $1', [`wallet-${walletId}`])).rows[0].count);

  describe('captures', () => {
    it('a partial capture, final by default, captures part and releases the rest in one answer', async () => {
      const walletId = await fundedWallet(app.baseUrl, '1000');
      const placed = await record(walletId, { type: 'debit', amount: '300', pending: true });
      expect(placed.balance).toEqual(balance(1000, 300));
      const captured = await act(walletId, placed.transaction.id, 'confirm', { amount: '120' });
      expect(captured.status).toBe(200);
      expect(captured.body.transaction).toMatchObject({ id: placed.transaction.id, status: 'confirmed', ...amounts(300, 0, 120, 180), rejectReason: null, reversalOf: null });
      expect(captured.body.transaction.confirmRejectTimestamp).not.toBeNull();
      expect(captured.body.balance).toEqual(balance(880));
      expectProblem(await act(walletId, placed.transaction.id, 'confirm', { amount: '1' }), 409, 'TRANSACTION_NOT_PENDING');
    });

    it('repeated captures with final: false keep the rest held until a final one releases what is left', async () => {
      const walletId = await fundedWallet(app.baseUrl, '1000');
      const id = await hold(walletId, 'debit', '300');
      const first = await act(walletId, id, 'confirm', { amount: '100', final: false });
      expect([first.status, first.body.transaction.status, first.body.transaction.confirmRejectTimestamp]).toEqual([200, 'pending', null]);
      expect(first.body.transaction).toMatchObject(amounts(300, 200, 100, 0));
      expect(first.body.balance).toEqual(balance(900, 200));
      const second = await act(walletId, id, 'confirm', { amount: '50', final: false });
      expect(second.body.transaction).toMatchObject({ status: 'pending', ...amounts(300, 150, 150, 0) });
      expect(second.body.balance).toEqual(balance(850, 150));
      const last = await act(walletId, id, 'confirm', { amount: '100', final: true });
      expect(last.body.transaction).toMatchObject({ status: 'confirmed', ...amounts(300, 0, 250, 50) });
      expect(last.body.balance).toEqual(balance(750));
    });

    it('a confirm without a body after partial captures captures everything still held', async () => {
      const walletId = await fundedWallet(app.baseUrl, '1000');
      const id = await hold(walletId, 'debit', '300');
      await act(walletId, id, 'confirm', { amount: '100', final: false });
      const rest = await act(walletId, id, 'confirm');
      expect(rest.status).toBe(200);
      expect(rest.body.transaction).toMatchObject({ status: 'confirmed', ...amounts(300, 0, 300, 0) });
      expect(rest.body.balance).toEqual(balance(700));
      const other = await hold(walletId, 'debit', '50');
      const empty = await act(walletId, other, 'confirm', {});
      expect(empty.body.transaction).toMatchObject({ status: 'confirmed', ...amounts(50, 0, 50, 0) });
    });

    it('a capture of everything held ends the hold even with final: false', async () => {
      const walletId = await fundedWallet(app.baseUrl, '500');
      const id = await hold(walletId, 'debit', '200');
      const all = await act(walletId, id, 'confirm', { amount: '200', final: false });
      expect(all.body.transaction).toMatchObject({ status: 'confirmed', ...amounts(200, 0, 200, 0) });
      expect(all.body.balance).toEqual(balance(300));
      expectProblem(await act(walletId, id, 'confirm'), 409, 'TRANSACTION_NOT_PENDING');
    });

    it('a reject after partial captures releases the rest and leaves the transaction confirmed, with its reason', async () => {
      const walletId = await fundedWallet(app.baseUrl, '1000');
      const id = await hold(walletId, 'debit', '300');
      await act(walletId, id, 'confirm', { amount: '100', final: false });
      const rejected = await act(walletId, id, 'reject', { reason: 'order shipped in part' });
      expect(rejected.status).toBe(200);
      expect(rejected.body.transaction).toMatchObject({ status: 'confirmed', rejectReason: 'order shipped in part', ...amounts(300, 0, 100, 200) });
      expect(rejected.body.balance).toEqual(balance(900));
    });

    it('more than is held is AMOUNT_EXCEEDS_HOLD and changes nothing', async () => {
      const walletId = await fundedWallet(app.baseUrl, '1000');
      const id = await hold(walletId, 'debit', '300');
      await act(walletId, id, 'confirm', { amount: '100', final: false });
      const events = await eventsOf(walletId);
      const tooMuch = await act(walletId, id, 'confirm', { amount: '201' });
      expectProblem(tooMuch, 422, 'AMOUNT_EXCEEDS_HOLD');
      expect(await eventsOf(walletId)).toBe(events);
      const exact = await act(walletId, id, 'confirm', { amount: '200', final: false });
      expect(exact.body.transaction).toMatchObject({ status: 'confirmed', ...amounts(300, 0, 300, 0) });
      expect(exact.body.balance).toEqual(balance(700));
    });

    it('a pending credit is captured in part on the credit side', async () => {
      const walletId = await fundedWallet(app.baseUrl, '0');
      const placed = await record(walletId, { type: 'credit', amount: '500', pending: true });
      expect(placed.balance).toEqual(balance(0, 0, 500));
      const part = await act(walletId, placed.transaction.id, 'confirm', { amount: '200', final: false });
      expect(part.body.transaction).toMatchObject({ type: 'credit', status: 'pending', ...amounts(500, 300, 200, 0) });
      expect(part.body.balance).toEqual(balance(200, 0, 300));
      const last = await act(walletId, placed.transaction.id, 'confirm', { amount: '100' });
      expect(last.body.transaction).toMatchObject({ status: 'confirmed', ...amounts(500, 0, 300, 200) });
      expect(last.body.balance).toEqual(balance(300));
    });

    it('refuses a capture or an increase of a transaction that is not pending', async () => {
      const walletId = await fundedWallet(app.baseUrl, '1000');
      const debit = (await record(walletId, { type: 'debit', amount: '10' })).transaction.id;
      const rejected = await hold(walletId, 'debit', '10');
      await act(walletId, rejected, 'reject');
      for (const id of [debit, rejected]) {
        expectProblem(await act(walletId, id, 'confirm', { amount: '5', final: false }), 409, 'TRANSACTION_NOT_PENDING');
        expectProblem(await act(walletId, id, 'increase', { amount: '5' }), 409, 'TRANSACTION_NOT_PENDING');
      }
    });

    it('refuses bodies it does not understand with 400', async () => {
      const walletId = await fundedWallet(app.baseUrl, '100');
      const id = await hold(walletId, 'debit', '10');
      for (const body of [{ amount: '0' }, { amount: 5 }, { final: 'no' }, { amount: '5', extra: true }]) {
        expectProblem(await act(walletId, id, 'confirm', body), 400, 'VALIDATION_FAILED');
      }
      expectProblem(await act(walletId, id, 'increase'), 400, 'VALIDATION_FAILED');
      expectProblem(await act(walletId, id, 'increase', { amount: '-1' }), 400, 'VALIDATION_FAILED');
    });
  });

  describe('increases', () => {
    it('an increase of a debit hold reserves the added funds at once, and needs them', async () => {
      const walletId = await fundedWallet(app.baseUrl, '500');
      const id = await hold(walletId, 'debit', '300');
      const increased = await act(walletId, id, 'increase', { amount: '150' });
      expect(increased.status).toBe(200);
      expect(increased.body.transaction).toMatchObject({ status: 'pending', ...amounts(450, 450, 0, 0) });
      expect(increased.body.balance).toEqual(balance(500, 450));
      const events = await eventsOf(walletId);
      expectProblem(await act(walletId, id, 'increase', { amount: '51' }), 422, 'INSUFFICIENT_FUNDS');
      expect(await eventsOf(walletId)).toBe(events);
      const confirmed = await act(walletId, id, 'confirm');
      expect(confirmed.body.transaction).toMatchObject({ status: 'confirmed', ...amounts(450, 0, 450, 0) });
      expect(confirmed.body.balance).toEqual(balance(50));
    });

    it('an increase after a partial capture raises what is still held', async () => {
      const walletId = await fundedWallet(app.baseUrl, '1000');
      const id = await hold(walletId, 'debit', '100');
      await act(walletId, id, 'confirm', { amount: '40', final: false });
      const increased = await act(walletId, id, 'increase', { amount: '25' });
      expect(increased.body.transaction).toMatchObject(amounts(125, 85, 40, 0));
      expect(increased.body.balance).toEqual(balance(960, 85));
    });

    it('an increase of a pending credit needs no funds', async () => {
      const walletId = await fundedWallet(app.baseUrl, '0');
      const id = await hold(walletId, 'credit', '100');
      const increased = await act(walletId, id, 'increase', { amount: '900' });
      expect(increased.body.transaction).toMatchObject(amounts(1000, 1000, 0, 0));
      expect(increased.body.balance).toEqual(balance(0, 0, 1000));
    });

    it('an expired hold can be neither increased nor captured: HOLD_EXPIRED', async () => {
      const walletId = await fundedWallet(app.baseUrl, '1000');
      const expiresAt = new Date(clock.now().getTime() + 60_000).toISOString();
      const id = await hold(walletId, 'debit', '100', { expiresAt });
      clock.advance(60_000);
      expectProblem(await act(walletId, id, 'increase', { amount: '10' }), 422, 'HOLD_EXPIRED');
      expectProblem(await act(walletId, id, 'confirm', { amount: '10', final: false }), 422, 'HOLD_EXPIRED');
    });

    it("a group's leg is increased or captured only through its group", async () => {
      const [from, to] = [await fundedWallet(app.baseUrl, '100'), await fundedWallet(app.baseUrl, '0')];
      const transfer = await post(app.baseUrl, '/v1/transfers', { fromWalletId: from, toWalletId: to, amount: '50', pending: true });
      const leg = transfer.body.group.transactions[0].id;
      expectProblem(await act(from, leg, 'increase', { amount: '1' }), 409, 'TRANSACTION_PART_OF_GROUP');
      expectProblem(await act(from, leg, 'confirm', { amount: '1' }), 409, 'TRANSACTION_PART_OF_GROUP');
    });
  });

  describe('reversals', () => {
    it('reverses a debit in part, then all that is left by default; beyond that REVERSAL_EXCEEDS_ORIGINAL', async () => {
      const walletId = await fundedWallet(app.baseUrl, '1000');
      const debit = (await record(walletId, { type: 'debit', amount: '400' })).transaction;
      const part = await act(walletId, debit.id, 'reverse', { amount: '150', reason: 'partial refund', metadata: { ticket: 'T-7' } });
      expect(part.status).toBe(201);
      expect(part.body.transaction).toMatchObject({
        walletId,
        type: 'credit',
        status: 'confirmed',
        ...amounts(150, 0, 150, 0),
        reversalOf: debit.id,
        description: 'partial refund',
        metadata: { ticket: 'T-7' },
        groupId: null,
        holdTimestamp: null,
      });
      expect(part.body.transaction.id).not.toBe(debit.id);
      expect(part.body.balance).toEqual(balance(750));
      const rest = await act(walletId, debit.id, 'reverse');
      expect(rest.status).toBe(201);
      expect(rest.body.transaction).toMatchObject({ type: 'credit', amount: '250', reversalOf: debit.id, description: null, metadata: {} });
      expect(rest.body.balance).toEqual(balance(1000));
      const events = await eventsOf(walletId);
      expectProblem(await act(walletId, debit.id, 'reverse', { amount: '1' }), 422, 'REVERSAL_EXCEEDS_ORIGINAL');
      expectProblem(await act(walletId, debit.id, 'reverse'), 422, 'REVERSAL_EXCEEDS_ORIGINAL');
      expect(await eventsOf(walletId)).toBe(events);
    });

    it('reverses a credit in full as a debit, which needs the funds', async () => {
      const walletId = await fundedWallet(app.baseUrl, '0');
      const credit = (await record(walletId, { type: 'credit', amount: '300' })).transaction;
      await record(walletId, { type: 'debit', amount: '200' });
      expectProblem(await act(walletId, credit.id, 'reverse'), 422, 'INSUFFICIENT_FUNDS');
      await record(walletId, { type: 'credit', amount: '200' });
      const full = await act(walletId, credit.id, 'reverse', { amount: '300' });
      expect(full.body.transaction).toMatchObject({ type: 'debit', amount: '300', reversalOf: credit.id });
      expect(full.body.balance).toEqual(balance(0));
    });

    it('reverses a hold up to what it captured, not what it authorised', async () => {
      const walletId = await fundedWallet(app.baseUrl, '1000');
      const id = await hold(walletId, 'debit', '300');
      await act(walletId, id, 'confirm', { amount: '100' });
      expectProblem(await act(walletId, id, 'reverse', { amount: '101' }), 422, 'REVERSAL_EXCEEDS_ORIGINAL');
      const all = await act(walletId, id, 'reverse');
      expect(all.body.transaction).toMatchObject({ type: 'credit', amount: '100', reversalOf: id });
      expect(all.body.balance).toEqual(balance(1000));
    });

    it('refuses to reverse a pending, a rejected or a reversing transaction: TRANSACTION_NOT_REVERSIBLE', async () => {
      const walletId = await fundedWallet(app.baseUrl, '1000');
      const pending = await hold(walletId, 'debit', '10');
      const partlyCaptured = await hold(walletId, 'debit', '10');
      await act(walletId, partlyCaptured, 'confirm', { amount: '4', final: false });
      const rejected = await hold(walletId, 'debit', '10');
      await act(walletId, rejected, 'reject');
      const debit = (await record(walletId, { type: 'debit', amount: '10' })).transaction.id;
      const reversal = (await act(walletId, debit, 'reverse', { amount: '5' })).body.transaction.id;
      const events = await eventsOf(walletId);
      for (const id of [pending, partlyCaptured, rejected, reversal]) expectProblem(await act(walletId, id, 'reverse'), 409, 'TRANSACTION_NOT_REVERSIBLE');
      expect(await eventsOf(walletId)).toBe(events);
    });

    it("refuses to reverse a group's leg alone: TRANSACTION_PART_OF_GROUP", async () => {
      const [from, to] = [await fundedWallet(app.baseUrl, '100'), await fundedWallet(app.baseUrl, '0')];
      const transfer = await post(app.baseUrl, '/v1/transfers', { fromWalletId: from, toWalletId: to, amount: '50' });
      const [debit, credit] = transfer.body.group.transactions;
      expectProblem(await act(from, debit.id, 'reverse'), 409, 'TRANSACTION_PART_OF_GROUP');
      expectProblem(await act(to, credit.id, 'reverse', { amount: '1' }), 409, 'TRANSACTION_PART_OF_GROUP');
    });

    it('answers an unknown transaction with 404 and refuses fields it does not take', async () => {
      const walletId = await fundedWallet(app.baseUrl, '100');
      expectProblem(await act(walletId, '01a1fde4-2bc7-757a-b1e8-a7843fdae199', 'reverse'), 404, 'TRANSACTION_NOT_FOUND');
      const debit = (await record(walletId, { type: 'debit', amount: '10' })).transaction.id;
      expectProblem(await act(walletId, debit, 'reverse', { note: 'refund-1' }), 400, 'VALIDATION_FAILED');
      expectProblem(await act(walletId, debit, 'reverse', { reference: 'r'.repeat(256) }), 400, 'VALIDATION_FAILED');
      expectProblem(await act(walletId, debit, 'reverse', { amount: '0' }), 400, 'VALIDATION_FAILED');
    });
  });

  describe('idempotency', () => {
    it('replays a capture and a reversal sent again under the same Idempotency-Key, applying each once', async () => {
      const walletId = await fundedWallet(app.baseUrl, '1000');
      const id = await hold(walletId, 'debit', '300');
      const capture = { 'idempotency-key': `capture-${id}` };
      const first = await act(walletId, id, 'confirm', { amount: '100', final: false }, capture);
      const again = await act(walletId, id, 'confirm', { amount: '100', final: false }, capture);
      expect([again.status, again.headers.get('idempotency-replayed'), again.body]).toEqual([200, 'true', first.body]);
      const rest = await act(walletId, id, 'confirm');
      expect(rest.body.transaction).toMatchObject(amounts(300, 0, 300, 0));
      const reverse = { 'idempotency-key': `reverse-${id}` };
      const reversal = await act(walletId, id, 'reverse', { amount: '40' }, reverse);
      const replayed = await act(walletId, id, 'reverse', { amount: '40' }, reverse);
      expect([replayed.status, replayed.headers.get('idempotency-replayed'), replayed.body]).toEqual([201, 'true', reversal.body]);
      expectProblem(await act(walletId, id, 'reverse', { amount: '41' }, reverse), 422, 'IDEMPOTENCY_KEY_REUSED');
      const left = await act(walletId, id, 'reverse');
      expect(left.body.transaction.amount).toBe('260');
      expect(left.body.balance).toEqual(balance(1000));
    });
  });

  describe('owner-bound keys', () => {
    it('cannot reverse a debit (the reversal would credit the wallet) nor increase a pending credit, but can reverse a credit', async () => {
      const owner = { ownerType: 'user', ownerRef: `payer-${clock.now().getTime()}` };
      const key = await issueKey(app.baseUrl, { name: 'payer', scopes: ['wallets:read', 'wallets:write'], owner });
      const opened = await post(app.baseUrl, '/v1/wallets', { type: 'main', currency: 'USD', owners: [owner] });
      const walletId = opened.body.id as string;
      const credit = (await record(walletId, { type: 'credit', amount: '1000' })).transaction.id;
      const debit = (await record(walletId, { type: 'debit', amount: '100' }, key.headers)).transaction.id;
      const pendingCredit = await hold(walletId, 'credit', '10');
      const events = await eventsOf(walletId);
      expectProblem(await act(walletId, debit, 'reverse', undefined, key.headers), 403, 'FORBIDDEN');
      expectProblem(await act(walletId, pendingCredit, 'increase', { amount: '5' }, key.headers), 403, 'FORBIDDEN');
      expect(await eventsOf(walletId)).toBe(events);
      const refund = await act(walletId, credit, 'reverse', { amount: '50' }, key.headers);
      expect(refund.status).toBe(201);
      expect(refund.body.transaction).toMatchObject({ type: 'debit', amount: '50', reversalOf: credit });
      expect(refund.body.balance).toEqual(balance(850, 0, 10));
    });
  });

  describe('as the read model shows them', () => {
    it('a transaction carries its lifecycle after every step, and amount = held + captured + released', async () => {
      const walletId = await fundedWallet(app.baseUrl, '1000');
      const id = await hold(walletId, 'debit', '300');
      const path = `${transactions(walletId)}/${id}`;
      const steps: [() => Promise<HttpResult>, ReturnType<typeof amounts>, string][] = [
        [() => act(walletId, id, 'confirm', { amount: '100', final: false }), amounts(300, 200, 100, 0), 'pending'],
        [() => act(walletId, id, 'increase', { amount: '50' }), amounts(350, 250, 100, 0), 'pending'],
        [() => act(walletId, id, 'confirm', { amount: '150' }), amounts(350, 0, 250, 100), 'confirmed'],
        [() => act(walletId, id, 'reverse', { amount: '60' }), amounts(350, 0, 250, 100, 60), 'confirmed'],
      ];
      for (const [step, expected, status] of steps) {
        const answer = await step();
        expect(answer.status).toBeLessThan(300);
        const read = await getAfter(app, path, answer.body.position);
        expect(read.status).toBe(200);
        expect(read.body).toMatchObject({ ...expected, status, reversalOf: null });
        expect(BigInt(read.body.heldAmount) + BigInt(read.body.capturedAmount) + BigInt(read.body.releasedAmount)).toBe(BigInt(read.body.amount));
      }
    });

    it('a reversal is a transaction of its own in the history, naming its original', async () => {
      const walletId = await fundedWallet(app.baseUrl, '1000');
      const debit = (await record(walletId, { type: 'debit', amount: '400' })).transaction.id;
      const reversal = await act(walletId, debit, 'reverse', { amount: '100', reason: 'refund' });
      const read = await getAfter(app, `${transactions(walletId)}/${reversal.body.transaction.id}`, reversal.body.position);
      expect(read.body).toMatchObject({ type: 'credit', status: 'confirmed', description: 'refund', reversalOf: debit, ...amounts(100, 0, 100, 0) });
      const original = await getAfter(app, `${transactions(walletId)}/${debit}`, reversal.body.position);
      expect(original.body).toMatchObject({ ...amounts(400, 0, 400, 0, 100), reversalOf: null });
      const history = await getAfter(app, `${transactions(walletId)}?order=asc`, reversal.body.position);
      expect(history.body.items.map((item: { type: string; amount: string; reversalOf: string | null }) => [item.type, item.amount, item.reversalOf])).toEqual([
        ['credit', '1000', null],
        ['debit', '400', null],
        ['credit', '100', debit],
      ]);
      const wallet = await getAfter(app, `/v1/wallets/${walletId}`, reversal.body.position);
      expect(wallet.body.balance).toEqual(balance(700));
    });

    it('a reject after partial captures reads back confirmed, with the rest released', async () => {
      const walletId = await fundedWallet(app.baseUrl, '1000');
      const id = await hold(walletId, 'debit', '300');
      await act(walletId, id, 'confirm', { amount: '100', final: false });
      const rejected = await act(walletId, id, 'reject', { reason: 'cancelled' });
      const read = await getAfter(app, `${transactions(walletId)}/${id}`, rejected.body.position);
      expect(read.body).toMatchObject({ status: 'confirmed', rejectReason: 'cancelled', ...amounts(300, 0, 100, 200) });
    });
  });
});
