import type { WalletEvent } from '@wallet/domain';
import { T0, confirmed, credited, debited, held, opened, ownerAdded, ownersN, rejected } from './wallet.builders';

const HOUR_MS = 3_600_000;

/** The `n`th spec wallet's id, a UUID as the read models need. */
export const walletIdN = (n: number): string => `00000000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;

/** The `k`th transaction id of a spec wallet. */
export const transactionIdN = (walletId: string, k: number): string => `00000000-0000-7000-9${k.toString(16).padStart(3, '0')}-${walletId.slice(-12)}`;

/**
 * A wallet's made-up history covering every event type: opened with two owners, an owner
 * added, then `transactions` transactions cycling through a credit, a confirmed debit hold
 * with an expiry, a rejected credit hold, a debit in a group, and a debit hold left pending.
 * Events are five hours apart from `start`, so days change (and daily snapshots fall) often.
 */
export function walletHistory(walletId: string, transactions: number, start: Date = T0): WalletEvent[] {
  const at = (step: number): string => new Date(start.getTime() + step * 5 * HOUR_MS).toISOString();
  const events: WalletEvent[] = [
    opened({ walletId, owners: ownersN(2), metadata: { tier: 'gold' }, openedAt: at(0) }),
    ownerAdded('u-9', { walletId, addedAt: at(1) }),
  ];
  for (let k = 0; k < transactions; k += 1) {
    const id = transactionIdN(walletId, k);
    const recordedAt = at(k + 2);
    const settledAt = new Date(Date.parse(recordedAt) + HOUR_MS).toISOString();
    switch (k % 5) {
      case 0:
        events.push(credited(id, 1_000n + BigInt(k), { walletId, recordedAt, description: `credit ${k}` }));
        break;
      case 1:
        events.push(held(id, 'debit', 100n, { walletId, recordedAt, expiresAt: at(k + 40) }));
        events.push(confirmed(id, 'debit', 100n, { walletId, confirmedAt: settledAt }));
        break;
      case 2:
        events.push(held(id, 'credit', 70n, { walletId, recordedAt, metadata: { order: k } }));
        events.push(rejected(id, 'credit', 70n, { walletId, reason: 'not needed', rejectedAt: settledAt }));
        break;
      case 3:
        events.push(debited(id, 10n, { walletId, recordedAt, groupId: transactionIdN(walletId, 4_000 + k) }));
        break;
      default:
        events.push(held(id, 'debit', 5n, { walletId, recordedAt }));
    }
  }
  return events;
}

/** Merges histories round robin, one event of each in turn, each history's order kept. */
export function interleave(...histories: readonly WalletEvent[][]): WalletEvent[] {
  const merged: WalletEvent[] = [];
  const longest = Math.max(0, ...histories.map((history) => history.length));
  for (let index = 0; index < longest; index += 1) {
    for (const history of histories) if (index < history.length) merged.push(history[index]!);
  }
  return merged;
}
