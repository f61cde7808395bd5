import type { AppConfig } from '@wallet/config';
import { type BalanceTotals, type WalletEvent, applyToBalance, zeroBalance } from '@wallet/domain';
import { Projector } from '@wallet/read-model';
import {
  T0,
  appendWalletEvents,
  captured,
  catchUpToHead,
  confirmed,
  createStoreTestDatabase,
  credited,
  debited,
  held,
  increased,
  interleave,
  opened,
  rejected,
  reversed,
  type StoreTestDatabase,
  transactionIdN,
  walletIdN,
} from '@wallet/testing';
import { PointInTimeBalance } from './point-in-time-balance.service';

const [A, B] = [walletIdN(1), walletIdN(2)];
const HOUR_MS = 3_600_000;
const at = (hours: number): string => new Date(T0.getTime() + hours * HOUR_MS).toISOString();

/** A wallet's whole payment lifecycle: holds increased, captured in part and in full, released, and reversals. */
function lifecycle(walletId: string): WalletEvent[] {
  const tx = (k: number): string => transactionIdN(walletId, k);
  const w = { walletId };
  return [
    opened({ ...w, openedAt: at(0) }),
    credited(tx(0), 1_000n, { ...w, recordedAt: at(1) }),
    held(tx(1), 'debit', 200n, { ...w, recordedAt: at(2) }),
    increased(tx(1), 'debit', 50n, { ...w, increasedAt: at(3) }),
    captured(tx(1), 'debit', 100n, { ...w, capturedAt: at(4) }),
    held(tx(2), 'credit', 80n, { ...w, recordedAt: at(5) }),
    captured(tx(1), 'debit', 60n, { ...w, releasedMinor: 90n, final: true, capturedAt: at(6) }),
    captured(tx(2), 'credit', 30n, { ...w, capturedAt: at(7) }),
    reversed(tx(3), tx(1), 'credit', 40n, { ...w, recordedAt: at(8) }),
    rejected(tx(2), 'credit', 50n, { ...w, reason: 'cancelled', rejectedAt: at(9) }),
    debited(tx(4), 300n, { ...w, recordedAt: at(10) }),
    held(tx(5), 'debit', 20n, { ...w, recordedAt: at(11) }),
    confirmed(tx(5), 'debit', 20n, { ...w, confirmedAt: at(12) }),
    reversed(tx(6), tx(4), 'credit', 300n, { ...w, recordedAt: at(13) }),
    reversed(tx(7), tx(2), 'debit', 30n, { ...w, recordedAt: at(14) }),
  ];
}

describe('PointInTimeBalance through the payment lifecycle', () => {
  let database: StoreTestDatabase;
  const events = interleave(lifecycle(A), lifecycle(B));

  beforeAll(async () => {
    database = await createStoreTestDatabase(4);
    await appendWalletEvents(database.store, events);
    await catchUpToHead(new Projector({ pool: database.pool, store: database.store, snapshotEvery: 2, batchSizeMax: 3, log: () => undefined }), database.pool);
  });
  afterAll(() => database.drop());

  /** The brute-force answer: every event of the wallet up to the position, folded from zero. */
  function folded(walletId: string, position: number): BalanceTotals {
    return events.slice(0, position).filter((event) => event.data.walletId === walletId).reduce(applyToBalance, zeroBalance);
  }

  it.each([A, B])('equals the fold of the log at every position of wallet %s', async (walletId) => {
    const balances = new PointInTimeBalance(database.pool, database.store, { SNAPSHOT_EVERY: 2 } as AppConfig);
    const checkpoint = BigInt(events.length);
    for (let position = 1; position <= events.length; position += 1) {
      const point = await balances.at(walletId, { position: BigInt(position) }, checkpoint);
      const { ledgerMinor, pendingDebitsMinor, pendingCreditsMinor } = point?.totals ?? zeroBalance;
      expect([position, { ledgerMinor, pendingDebitsMinor, pendingCreditsMinor }]).toEqual([position, folded(walletId, position)]);
    }
    expect(folded(walletId, events.length)).toEqual({ ledgerMinor: 1_000n - 160n + 40n + 30n - 300n - 20n + 300n - 30n, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n });
  });
});
