import type { EventStore } from '../../libs/event-store/src';
import { type BalanceTotals, applyToBalance, decodeWalletEvent, isWalletStream, zeroBalance } from '../../libs/wallet-domain/src';
import { CHANNELS, type SearchDataset } from './search-dataset';

/**
 * The reads the search scenario times, each a GET the API answers from its read model: a
 * path drawn at random from the dataset's samples, and, for the check before any timing, a
 * path whose answer is known.
 */
export interface SearchSeries {
  readonly name: string;
  readonly label: string;
  /** The route and query parameter the series needs in the OpenAPI document. */
  readonly route: string;
  readonly parameter: string;
  path(dataset: SearchDataset, random: () => number): string;
  /** A path and what its answer must be: undefined when right, else what is wrong. */
  probe(dataset: SearchDataset): { readonly path: string; readonly wrong: (body: any) => string | undefined };
}

type Page = { items: { id: string; metadata?: Record<string, unknown> }[] };

const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)]!;

/** The page must list exactly `ids`. */
const exactly =
  (ids: readonly string[]) =>
  (body: Page): string | undefined => {
    const got = body.items.map((item) => item.id);
    return JSON.stringify(got) === JSON.stringify(ids) ? undefined : `expected ${JSON.stringify(ids)}, got ${JSON.stringify(got)}`;
  };

const walletHistory = (walletId: string, query: string) => `/v1/wallets/${walletId}/transactions?${query}`;

/** A series looking one sampled transaction up, by `query` of it, on the wallet's history or across wallets. */
function transactionLookup(name: string, label: string, crossWallet: boolean, parameter: string, query: (sample: SearchDataset['samples'][number]) => string): SearchSeries {
  const pathOf = (sample: SearchDataset['samples'][number]) => (crossWallet ? `/v1/transactions?${query(sample)}` : walletHistory(sample.walletId, query(sample)));
  return {
    name,
    label,
    route: crossWallet ? '/v1/transactions' : '/v1/wallets/{walletId}/transactions',
    parameter,
    path: (dataset, random) => pathOf(pick(dataset.samples, random)),
    probe: (dataset) => {
      const sample = dataset.samples[Math.floor(dataset.samples.length / 2)]!;
      return { path: pathOf(sample), wrong: exactly([sample.transactionId]) };
    },
  };
}

export const SEARCH_SERIES: readonly SearchSeries[] = [
  transactionLookup('wallet/reference', "a wallet's history ?reference=", false, 'reference', (s) => `reference=${s.reference}`),
  transactionLookup('wallet/metadata', "a wallet's history ?metadata[orderId]=", false, 'metadata', (s) => `metadata[orderId]=${s.orderId}`),
  transactionLookup('all/reference', 'GET /v1/transactions?reference=', true, 'reference', (s) => `reference=${s.reference}`),
  transactionLookup('all/metadata', 'GET /v1/transactions?metadata[orderId]=', true, 'metadata', (s) => `metadata[orderId]=${s.orderId}`),
  {
    name: 'all/metadataCommon',
    label: 'GET /v1/transactions?metadata[channel]= (1 in 4), first page of 50',
    route: '/v1/transactions',
    parameter: 'metadata',
    path: (_, random) => `/v1/transactions?metadata[channel]=${pick(CHANNELS, random)}&limit=50`,
    probe: () => ({
      path: '/v1/transactions?metadata[channel]=web&limit=50',
      wrong: (body: Page) => (body.items.length === 50 && body.items.every((item) => item.metadata?.['channel'] === 'web') ? undefined : 'expected 50 items, all of channel web'),
    }),
  },
  {
    name: 'groups/reference',
    label: 'GET /v1/transaction-groups?reference=',
    route: '/v1/transaction-groups',
    parameter: 'reference',
    path: (dataset, random) => `/v1/transaction-groups?reference=${pick(dataset.groupSamples, random).reference}`,
    probe: (dataset) => {
      const sample = dataset.groupSamples[Math.floor(dataset.groupSamples.length / 2)]!;
      return { path: `/v1/transaction-groups?reference=${sample.reference}`, wrong: exactly([sample.groupId]) };
    },
  },
  {
    name: 'totals/past',
    label: 'GET /v1/totals?atPosition= (a past position)',
    route: '/v1/totals',
    parameter: 'atPosition',
    path: (dataset, random) => `/v1/totals?currency=USD&atPosition=${randomPosition(dataset, random)}`,
    probe: (dataset) => ({
      path: `/v1/totals?currency=USD&atPosition=${dataset.lastPosition}`,
      wrong: (body) => totalsMismatch(body, dataset.wallets.length, dataset.totals),
    }),
  },
];

export function randomPosition(dataset: SearchDataset, random: () => number): bigint {
  const span = Number(dataset.lastPosition - dataset.firstPosition);
  return dataset.firstPosition + BigInt(Math.floor(random() * (span + 1)));
}

/** What differs between a totals answer and the sums expected; undefined when nothing does. */
export function totalsMismatch(body: Record<string, unknown>, wallets: number, totals: BalanceTotals): string | undefined {
  const expected = { wallets: String(wallets), ledger: String(totals.ledgerMinor), pendingDebits: String(totals.pendingDebitsMinor), pendingCredits: String(totals.pendingCreditsMinor) };
  const got = { wallets: String(body['wallets']), ledger: String(body['ledger']), pendingDebits: String(body['pendingDebits']), pendingCredits: String(body['pendingCredits']) };
  return JSON.stringify(got) === JSON.stringify(expected) ? undefined : `expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`;
}

/**
 * The totals and wallet count at `position`, folded from the log with the domain's own
 * applyToBalance: the brute force a totals answer at a past position is checked against.
 */
export async function foldTotalsAt(store: EventStore, position: bigint): Promise<{ wallets: number; totals: BalanceTotals }> {
  let totals = zeroBalance;
  let wallets = 0;
  for (let after = 0n; after < position; ) {
    const events = await store.readAll({ after, maxCount: 5_000 });
    if (events.length === 0) break;
    for (const recorded of events) {
      if (recorded.position > position) return { wallets, totals };
      if (!isWalletStream(recorded.stream)) continue;
      const event = decodeWalletEvent(recorded);
      if (event.type === 'WalletOpened') wallets += 1;
      totals = applyToBalance(totals, event);
    }
    after = events[events.length - 1]!.position;
  }
  return { wallets, totals };
}
