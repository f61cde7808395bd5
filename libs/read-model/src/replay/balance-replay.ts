import { type BalanceTotals, applyToBalance, decodeWalletEvent, occurredAt, zeroBalance } from '@wallet/domain';
import type { RecordedEvent } from '@wallet/event-store';
import type { SnapshotRecord } from '../queries/snapshots.queries';

/** A wallet's totals right after one of its events. */
export interface BalancePoint {
  readonly totals: BalanceTotals;
  readonly revision: number;
  readonly position: bigint;
  readonly occurredAt: string;
}

/** Where a replay stops: the first event past the position, or that occurred after `at`. */
export interface ReplayBound {
  readonly position: bigint;
  readonly at?: string;
}

export function pointOfSnapshot(snapshot: SnapshotRecord): BalancePoint {
  return { totals: snapshot, revision: snapshot.revision, position: snapshot.position, occurredAt: snapshot.snapshotDate };
}

/**
 * Folds a wallet's events (in revision order, following `start`) into its totals until the
 * first one past the bound. `passed` tells whether that event was met, so that no later
 * page needs reading. `start` undefined: from before the wallet's first event.
 */
export function foldUntil(start: BalancePoint | undefined, events: readonly RecordedEvent[], bound: ReplayBound): { point: BalancePoint | undefined; passed: boolean } {
  let point = start;
  for (const recorded of events) {
    const event = decodeWalletEvent(recorded);
    const at = occurredAt(event);
    if (recorded.position > bound.position || (bound.at !== undefined && Date.parse(at) > Date.parse(bound.at))) return { point, passed: true };
    point = { totals: applyToBalance(point?.totals ?? zeroBalance, event), revision: recorded.revision, position: recorded.position, occurredAt: at };
  }
  return { point, passed: false };
}
