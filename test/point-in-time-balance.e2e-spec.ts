import fc from 'fast-check';
import { type BalanceTotals, applyToBalance, balanceOf, decodeWalletEvent, occurredAt, zeroBalance } from '@wallet/domain';
import { get, post } from './support/http';
import { READ_SIDE_ENV, getAfter, logHead } from './support/read-model';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * GET /v1/wallets/{id}/balance?atPosition= and ?at= against a brute-force fold of each
 * wallet's events: random credits, debits and holds (confirmed or rejected later) on a few
 * wallets, with a snapshot every 3 events so that answers start from snapshots.
 */

const KINDS = ['credit', 'debit', 'holdCredit', 'holdDebit', 'confirm', 'reject'] as const;

interface Step {
  readonly wallet: number;
  readonly kind: (typeof KINDS)[number];
  readonly amount: number;
  readonly pick: number;
}

interface Scenario {
  readonly wallets: number;
  readonly steps: readonly Step[];
}

/** The wallet's balance right after one of its events, as the test folds it. */
interface FoldedPoint {
  readonly position: bigint;
  readonly at: string;
  readonly totals: BalanceTotals;
}

const stepArbitrary: fc.Arbitrary<Step> = fc.record({ wallet: fc.nat(2), kind: fc.constantFrom(...KINDS), amount: fc.integer({ min: 1, max: 600 }), pick: fc.nat() });
const scenarioArbitrary: fc.Arbitrary<Scenario> = fc.record({ wallets: fc.integer({ min: 2, max: 3 }), steps: fc.array(stepArbitrary, { minLength: 4, maxLength: 22 }) });

/** Holds placed, then confirmed and rejected across snapshots, with another wallet in between. */
const holdsExample: Scenario = {
  wallets: 2,
  steps: [
    { wallet: 0, kind: 'credit', amount: 500, pick: 0 },
    { wallet: 0, kind: 'holdDebit', amount: 200, pick: 0 },
    { wallet: 1, kind: 'credit', amount: 50, pick: 0 },
    { wallet: 0, kind: 'holdCredit', amount: 70, pick: 0 },
    { wallet: 0, kind: 'debit', amount: 100, pick: 0 },
    { wallet: 0, kind: 'confirm', amount: 1, pick: 0 },
    { wallet: 1, kind: 'holdDebit', amount: 20, pick: 0 },
    { wallet: 0, kind: 'confirm', amount: 1, pick: 0 },
    { wallet: 1, kind: 'reject', amount: 1, pick: 0 },
  ],
};

const view = (totals: BalanceTotals) => {
  const { ledgerMinor, availableMinor, pendingDebitsMinor, pendingCreditsMinor } = balanceOf(totals);
  return { ledger: `${ledgerMinor}`, available: `${availableMinor}`, pendingDebits: `${pendingDebitsMinor}`, pendingCredits: `${pendingCreditsMinor}` };
};

describe('point-in-time balance', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: { PROJECTOR_POLL_MS: READ_SIDE_ENV.PROJECTOR_POLL_MS, SNAPSHOT_EVERY: '3' } });
  });
  afterAll(async () => app.close());

  /** Runs the steps through HTTP; returns each wallet's last command answer. */
  async function play(walletIds: readonly string[], steps: readonly Step[]): Promise<Map<string, any>> {
    const holds = new Map<string, string[]>(walletIds.map((id) => [id, []]));
    const lastAnswers = new Map<string, any>();
    for (const step of steps) {
      const walletId = walletIds[step.wallet % walletIds.length]!;
      const answer = await send(walletId, step, holds.get(walletId)!);
      if (answer) lastAnswers.set(walletId, answer);
    }
    return lastAnswers;
  }

  async function send(walletId: string, step: Step, holds: string[]): Promise<unknown> {
    const path = `/v1/wallets/${walletId}/transactions`;
    if (step.kind === 'confirm' || step.kind === 'reject') {
      const [held] = holds.splice(step.pick % Math.max(holds.length, 1), 1);
      return held && (await post(app.baseUrl, `${path}/${held}/${step.kind}`)).body;
    }
    const pending = step.kind.startsWith('hold');
    const type = step.kind === 'credit' || step.kind === 'holdCredit' ? 'credit' : 'debit';
    const answer = await post(app.baseUrl, path, { type, amount: `${step.amount}`, pending });
    if (answer.status === 422) return undefined; // Not enough funds: nothing recorded.
    expect(answer.status).toBe(201);
    if (pending) holds.push(answer.body.transaction.id);
    return answer.body;
  }

  /** Brute force: every event of the wallet from the log, folded one by one. */
  async function foldWallet(walletId: string): Promise<FoldedPoint[]> {
    const { rows } = await app.database.pool.query<{ position: string; type: string; schema_version: number; data: unknown }>(
      'select position, type, schema_version, data from event_store.events where stream = $1 order by revision',
      [`wallet-${walletId}`],
    );
    const points: FoldedPoint[] = [];
    let totals = zeroBalance;
    for (const row of rows) {
      const event = decodeWalletEvent({ type: row.type, schemaVersion: row.schema_version, data: row.data });
      totals = applyToBalance(totals, event);
      points.push({ position: BigInt(row.position), at: occurredAt(event), totals });
    }
    return points;
  }

  async function expectBalance(walletId: string, query: string, expected: FoldedPoint | undefined, at?: string): Promise<void> {
    const answer = await get(app.baseUrl, `/v1/wallets/${walletId}/balance?${query}`);
    if (!expected) {
      expect([query, answer.status, answer.body.code]).toEqual([query, 404, 'WALLET_NOT_FOUND']);
      return;
    }
    expect([query, answer.status, answer.body]).toEqual([query, 200, { ...view(expected.totals), position: `${expected.position}`, at: at ?? expected.at }]);
  }

  /** atPosition at every position from just before the wallet's first event to the log's end. */
  async function checkEveryPosition(walletId: string, points: readonly FoldedPoint[], head: bigint): Promise<void> {
    const positions: bigint[] = [];
    for (let position = points[0]!.position - 1n; position <= head; position += 1n) positions.push(position);
    await Promise.all(positions.map((position) => expectBalance(walletId, `atPosition=${position}`, points.filter((point) => point.position <= position).at(-1))));
  }

  /** ?at= at each event's time, a millisecond before the first, and far in the future. */
  async function checkTimes(walletId: string, points: readonly FoldedPoint[]): Promise<void> {
    const moments = [new Date(Date.parse(points[0]!.at) - 1).toISOString(), ...points.map((point) => point.at), '2999-01-01T00:00:00.000Z'];
    await Promise.all(moments.map((at) => expectBalance(walletId, `at=${at}`, points.filter((point) => Date.parse(point.at) <= Date.parse(at)).at(-1), at)));
  }

  it('equals a fold of the wallet events at every position and time, across snapshots', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary, async ({ wallets, steps }) => {
        const walletIds: string[] = [];
        for (let i = 0; i < wallets; i += 1) walletIds.push((await post(app.baseUrl, '/v1/wallets', { type: 'main', currency: 'EUR' })).body.id);
        const lastAnswers = await play(walletIds, steps);
        const head = await logHead(app);
        await getAfter(app, `/v1/wallets/${walletIds[0]}`, head);
        for (const walletId of walletIds) {
          const points = await foldWallet(walletId);
          const answer = lastAnswers.get(walletId);
          if (answer) expect(view(points.at(-1)!.totals)).toEqual(answer.balance);
          await checkEveryPosition(walletId, points, head);
          await checkTimes(walletId, points);
        }
      }),
      { seed: 7, numRuns: 15, examples: [[holdsExample]] },
    );
  });
});
