import { type BalanceTotals, type OverdraftLimit, type WalletEvent, applyToBalance, decodeWalletEvent, zeroBalance } from '@wallet/domain';
import { get } from './http';

/**
 * A wallet's log folded with the overdraft limit in force at each event: the invariant
 * `available >= -overdraftLimit` must hold at every position, not only at the end, and the
 * limit it is held to is the one the log shows at that point (opening, then each
 * OverdraftLimitSet).
 */
export interface OverdraftFold {
  readonly balance: BalanceTotals;
  readonly available: bigint;
  /** The limit after the last event. */
  readonly limit: OverdraftLimit;
  /** Every limit the wallet had, in log order, the opening one first. */
  readonly limits: readonly OverdraftLimit[];
  /**
   * The least `available + limit` over every position of the log: negative exactly when the
   * wallet was ever overdrawn beyond the limit then in force. Positions under "unlimited"
   * are not bounded and do not count.
   */
  readonly lowestHeadroom: bigint;
}

export function foldOverdraft(events: readonly WalletEvent[]): OverdraftFold {
  let balance = zeroBalance;
  let limit: OverdraftLimit = 0n;
  const limits: OverdraftLimit[] = [];
  let lowestHeadroom: bigint | undefined;
  for (const event of events) {
    if (event.type === 'WalletOpened' || event.type === 'OverdraftLimitSet') {
      limit = event.data.overdraftLimit ?? 0n;
      limits.push(limit);
    }
    balance = applyToBalance(balance, event);
    if (limit === 'unlimited') continue;
    const headroom = balance.ledgerMinor - balance.pendingDebitsMinor + limit;
    if (lowestHeadroom === undefined || headroom < lowestHeadroom) lowestHeadroom = headroom;
  }
  return { balance, available: balance.ledgerMinor - balance.pendingDebitsMinor, limit, limits, lowestHeadroom: lowestHeadroom ?? 0n };
}

export interface FeedItem {
  readonly position: string;
  readonly streamId: string;
  readonly revision: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: any;
}

/**
 * Every item of the event feed after position 0 that `query` selects (e.g. `walletId=…` or
 * `types=…`), page by page: the log as any event store holds it, KurrentDB included, where
 * the specs cannot read a table.
 */
export async function readFeed(baseUrl: string, query: string): Promise<FeedItem[]> {
  const items: FeedItem[] = [];
  for (let after = '0'; ; ) {
    const page = await get<{ items: FeedItem[]; nextAfter: string | null }>(baseUrl, `/v1/events?after=${after}&limit=500${query ? `&${query}` : ''}`);
    if (page.status !== 200) throw new Error(`feed answered ${page.status}: ${JSON.stringify(page.body)}`);
    items.push(...page.body.items);
    if (page.body.items.length === 0 || page.body.nextAfter === null || page.body.nextAfter === after) return items;
    after = page.body.nextAfter;
  }
}

/** A wallet's events as the feed shows them, decoded with the domain's codec. */
export async function walletEventsFromFeed(baseUrl: string, walletId: string): Promise<WalletEvent[]> {
  const items = await readFeed(baseUrl, `walletId=${walletId}`);
  return items.map((item) => decodeWalletEvent({ type: item.type, schemaVersion: item.schemaVersion, data: item.data }));
}
