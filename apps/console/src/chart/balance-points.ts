import type { ApiClient, Wallet } from '../api/client';
import { expectData } from '../api/problem';

export interface BalancePoint {
  /** Milliseconds since the epoch: the chart's x. */
  readonly t: number;
  readonly at: string;
  readonly source: 'balance' | 'snapshot';
  /** Exact minor units, as the API gave them. */
  readonly ledger: string;
  readonly available: string;
}

export const RANGES = [
  { id: '1h', label: 'Last hour', ms: 3_600_000 },
  { id: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { id: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { id: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
  { id: 'all', label: 'Since opened', ms: Number.POSITIVE_INFINITY },
] as const;

export type RangeId = (typeof RANGES)[number]['id'];

/** Point-in-time balances asked for, evenly spread over the range (the last one is now). */
const SAMPLES = 12;
const SNAPSHOT_PAGE = 200;

/**
 * The points of the chart, each exact: point-in-time balances (GET .../balance?at=) at evenly
 * spread moments, and the wallet's snapshots inside the range. Nothing is interpolated: the
 * chart steps from one point to the next, and every point is an answer of the API.
 */
export async function balancePoints(client: ApiClient, wallet: Wallet, range: RangeId, minPosition: string | undefined): Promise<BalancePoint[]> {
  const now = Date.now();
  const opened = Date.parse(wallet.createdAt);
  const span = RANGES.find((candidate) => candidate.id === range)!.ms;
  const start = Math.max(opened, now - span);
  const moments = Array.from({ length: SAMPLES }, (_, index) => Math.round(start + ((now - start) * index) / (SAMPLES - 1)));
  const walletId = wallet.id;
  const [balances, snapshots] = await Promise.all([
    Promise.all(
      moments.map((moment) =>
        expectData(client.GET('/v1/wallets/{walletId}/balance', { params: { path: { walletId }, query: { at: new Date(moment).toISOString(), minPosition } } })),
      ),
    ),
    expectData(client.GET('/v1/wallets/{walletId}/snapshots', { params: { path: { walletId }, query: { limit: SNAPSHOT_PAGE, minPosition } } })),
  ]);
  const points: BalancePoint[] = balances.map((balance, index) => ({ t: moments[index]!, at: balance.at, source: 'balance', ledger: balance.ledger, available: balance.available }));
  for (const snapshot of snapshots.items) {
    const t = Date.parse(snapshot.snapshotDate);
    if (t < start || t > now) continue;
    points.push({ t, at: snapshot.snapshotDate, source: 'snapshot', ledger: snapshot.ledger, available: (BigInt(snapshot.ledger) - BigInt(snapshot.pendingDebits)).toString() });
  }
  return points.sort((a, b) => a.t - b.t);
}
