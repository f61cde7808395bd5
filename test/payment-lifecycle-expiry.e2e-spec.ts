import { EXPIRED_REASON } from '@wallet/domain';
import { FakeClock } from './support/fake-clock';
import { fundedWallet } from './support/http';
import { capture, expectNoNegativeBalance, expectNoServerError, placeHold } from './support/lifecycle';
import { READ_SIDE_ENV, getAfter } from './support/read-model';
import { startTestApp, type TestApp } from './support/test-app';
import { type WalletLog, holdEndings, readWalletLog } from './support/wallet-log';

/**
 * Partial captures racing the expiry worker: the clock passes the holds' expiresAt while
 * captures are in flight, and the worker (every 25 ms, as in hold-expiry.e2e-spec.ts)
 * releases whatever is still held. Each amount must be captured or released, never both.
 */
describe('captures racing the expiry of their holds', () => {
  const clock = new FakeClock(Date.parse('2030-05-01T12:00:00.000Z'));
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ clock, env: { ...READ_SIDE_ENV, EXPIRY_INTERVAL_MS: '25' } });
  });
  afterAll(async () => app.close());

  const inSeconds = (seconds: number) => new Date(clock.now().getTime() + seconds * 1_000).toISOString();

  /** The wallet's log once none of `ids` is pending any more (or after 10 s). */
  async function logOnceEnded(walletId: string, ids: readonly string[]): Promise<WalletLog> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const log = await readWalletLog(app.database.pool, walletId);
      if (ids.every((id) => log.transactions.get(id)?.status !== 'pending') || Date.now() > deadline) return log;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  it('10 holds of 100, four captures of 25 each, the clock passing expiry at the first answer: captured + released = 100 for each', async () => {
    const walletId = await fundedWallet(app.baseUrl, '1000');
    const holds = await Promise.all(Array.from({ length: 10 }, () => placeHold(app.baseUrl, walletId, '100', { expiresAt: inSeconds(60) })));
    // The worker finds due holds through the read model: it must have seen every hold first.
    const lastPosition = holds.map((hold) => BigInt(hold.position)).reduce((a, b) => (a > b ? a : b));
    expect((await getAfter(app, `/v1/wallets/${walletId}`, lastPosition)).status).toBe(200);

    const captures = holds.map((hold) => Array.from({ length: 4 }, () => capture(app.baseUrl, walletId, hold.id, '25', false)));
    void Promise.race(captures.flat()).then(() => clock.advance(61_000));
    const results = await Promise.all(captures.map((perHold) => Promise.all(perHold)));

    const log = await logOnceEnded(walletId, holds.map((hold) => hold.id));
    let [totalCaptured, totalReleased] = [0n, 0n];
    for (const [index, perHold] of results.entries()) {
      const id = holds[index]!.id;
      expectNoServerError(perHold);
      expectNoNegativeBalance(perHold);
      for (const refused of perHold.filter((result) => result.status !== 200)) expect(refused.body).toMatchObject({ status: 422, code: 'HOLD_EXPIRED' });
      const captured = 25n * BigInt(perHold.filter((result) => result.status === 200).length);
      const transaction = log.transactions.get(id)!;
      expect({ held: transaction.heldMinor, captured: transaction.capturedMinor, released: transaction.releasedMinor }).toEqual({ held: 0n, captured, released: 100n - captured });
      expect(holdEndings(log, id)).toBe(1);
      // What was not captured was released by the worker, as an expiry.
      if (captured < 100n) expect(transaction.rejectReason).toBe(EXPIRED_REASON);
      totalCaptured += captured;
      totalReleased += transaction.releasedMinor;
    }
    // Both sides won some: the race was run, not decided before it began.
    expect(totalCaptured).toBeGreaterThan(0n);
    expect(totalReleased).toBeGreaterThan(0n);
    expect(log.changesAfterEnd).toEqual([]);
    expect(log.lowestAvailable).toBeGreaterThanOrEqual(0n);
    expect(log.balance).toEqual({ ledgerMinor: 1000n - totalCaptured, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n });
  });
});
