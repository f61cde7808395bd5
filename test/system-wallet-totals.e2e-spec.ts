import fc from 'fast-check';
import { expectedTotals, totalsAt } from './support/currency-totals';
import { type HttpResult, post } from './support/http';
import { READ_SIDE_ENV, getAfter, logHead } from './support/read-model';
import { type TestApp, startTestApp } from './support/test-app';

/**
 * Conservation of money, seeded property over HTTP: every unit enters and leaves through
 * "unlimited" system wallets (a funding and a fee wallet) by transfers, pending or not,
 * confirmed, rejected or reversed, between them and users with no overdraft. Then GET
 * /v1/totals at a sample of positions equals a brute-force fold of the wallet streams, and its
 * ledger is 0 at every position a command answered. (A group's legs are events of their own,
 * appended at once but at consecutive positions: a position between two legs of one group
 * sees half of it, in the totals as in the fold.)
 */

const SEED = 4242;
const CURRENCY = 'GBP';

type Operation =
  | { readonly kind: 'deposit' | 'withdraw' | 'fee' | 'pay'; readonly user: number; readonly other: number; readonly amount: number; readonly pending: boolean }
  | { readonly kind: 'settle'; readonly pick: number; readonly confirm: boolean }
  | { readonly kind: 'reverse'; readonly pick: number };

const USERS = 4;
const operationArb: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('deposit' as const, 'deposit' as const, 'withdraw' as const, 'fee' as const, 'pay' as const),
    user: fc.nat({ max: USERS - 1 }),
    other: fc.nat({ max: USERS - 1 }),
    amount: fc.integer({ min: 1, max: 5_000 }),
    pending: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('settle' as const), pick: fc.nat(), confirm: fc.boolean() }),
  fc.record({ kind: fc.constant('reverse' as const), pick: fc.nat() }),
);

describe('system wallets keep the totals of a currency at 0 (seeded property)', () => {
  let app: TestApp;
  const [plan] = fc.sample(fc.array(operationArb, { minLength: 250, maxLength: 250 }), { seed: SEED, numRuns: 1 });

  beforeAll(async () => {
    app = await startTestApp({ env: READ_SIDE_ENV });
  });
  afterAll(async () => app?.close());

  const open = async (overdraftLimit?: string): Promise<string> => {
    const opened = await post(app.baseUrl, '/v1/wallets', { type: overdraftLimit ? 'system' : 'user', currency: CURRENCY, ...(overdraftLimit ? { overdraftLimit } : {}) });
    expect([opened.status, opened.body.overdraftLimit]).toEqual([201, overdraftLimit ?? '0']);
    return opened.body.id;
  };

  it(`holds over ${plan!.length} seeded operations (seed ${SEED})`, async () => {
    const funding = await open('unlimited');
    const fees = await open('unlimited');
    const users: string[] = [];
    for (let i = 0; i < USERS; i += 1) users.push(await open());
    const pending: string[] = [];
    const completed: string[] = [];
    const outcomes = new Map<string, number>();
    /** The positions commands answered with: each is the end of one atomic append. */
    const answered: bigint[] = [0n];
    const count = (answer: HttpResult) => outcomes.set(`${answer.status} ${answer.body.code ?? ''}`.trim(), (outcomes.get(`${answer.status} ${answer.body.code ?? ''}`.trim()) ?? 0) + 1);

    for (const operation of plan!) {
      if (operation.kind === 'settle' || operation.kind === 'reverse') {
        const from = operation.kind === 'settle' ? pending : completed;
        if (from.length === 0) continue;
        const groupId = from.splice(operation.pick % from.length, 1)[0]!;
        const action = operation.kind === 'reverse' ? 'reverse' : operation.confirm ? 'confirm' : 'reject';
        const answer = await post(app.baseUrl, `/v1/transaction-groups/${groupId}/${action}`, operation.kind === 'reverse' ? { reason: 'refund' } : undefined);
        count(answer);
        if (answer.status < 300) answered.push(BigInt(answer.body.position));
        // A reversal that would take a user below 0 is refused; a pending one may have expired: neither moves money.
        expect([200, 201, 409, 422]).toContain(answer.status);
        if (action === 'confirm' && answer.status === 200) completed.push(groupId);
        continue;
      }
      const user = users[operation.user]!;
      const [fromWalletId, toWalletId] = {
        deposit: [funding, user],
        withdraw: [user, funding],
        fee: [user, fees],
        pay: [user, users[operation.other]!],
      }[operation.kind];
      if (fromWalletId === toWalletId) continue;
      const answer = await post(app.baseUrl, '/v1/transfers', { fromWalletId, toWalletId, amount: String(operation.amount), pending: operation.pending });
      count(answer);
      if (answer.status === 422) {
        expect(answer.body.code).toBe('INSUFFICIENT_FUNDS');
        continue;
      }
      expect(answer.status).toBe(201);
      answered.push(BigInt(answer.body.position));
      (operation.pending ? pending : completed).push(answer.body.group.id);
    }
    // The plan did something of every kind: transfers and reversals, settlements, refusals.
    expect(outcomes.get('201')).toBeGreaterThan(60);
    expect(outcomes.get('200')).toBeGreaterThan(5);
    // Users have no overdraft: some transfers out of them were refused, and moved nothing.
    expect(outcomes.get('422 INSUFFICIENT_FUNDS')).toBeGreaterThan(0);

    const head = await logHead(app);
    const system = await getAfter(app, `/v1/wallets/${funding}`, head);
    expect(BigInt(system.body.balance.ledger)).toBeLessThan(0n);

    const anywhere = fc.sample(fc.bigInt({ min: 0n, max: head }), { seed: SEED, numRuns: 30 });
    for (const position of anywhere) {
      const answer = await totalsAt(app, CURRENCY, position);
      expect({ position, status: answer.status, body: answer.body }).toEqual({ position, status: 200, body: await expectedTotals(app.database.pool, CURRENCY, position) });
    }
    const boundaries = fc.sample(fc.constantFrom(...answered), { seed: SEED, numRuns: 40 }).concat([head]);
    for (const position of boundaries) {
      const answer = await totalsAt(app, CURRENCY, position);
      expect({ position, status: answer.status, body: answer.body }).toEqual({ position, status: 200, body: await expectedTotals(app.database.pool, CURRENCY, position) });
      expect({ position, ledger: answer.body.ledger }).toEqual({ position, ledger: '0' });
      // A pending transfer holds on one side what it will credit on the other.
      expect({ position, pendingDebits: answer.body.pendingDebits }).toEqual({ position, pendingDebits: answer.body.pendingCredits });
    }
  });
});
