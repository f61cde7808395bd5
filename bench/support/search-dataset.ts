import { v7 as uuidv7 } from 'uuid';
import type { EventStore, NewEvent, StreamAppend } from '../../libs/event-store/src';
import {
  type BalanceTotals,
  type GroupLeg,
  type TransactionType,
  type WalletEvent,
  applyToBalance,
  encodeGroupEvent,
  encodeGroupReferenceEvent,
  encodeWalletEvent,
  groupReferenceStream,
  groupStream,
  recordsTransaction,
  walletStream,
  zeroBalance,
} from '../../libs/wallet-domain/src';

/**
 * A made-up ledger for the search scenario, written straight to the event store (over HTTP
 * a million transactions would take hours): wallets in pairs, each with its own credits,
 * debits and holds, every one with a reference and metadata, and transfers between the two
 * wallets of a pair recorded as groups with references, their reservations included, each
 * group in one atomic append with its legs as the write side does it.
 */

/** `channel` takes one of these in turn: a metadata value one transaction in four has. */
export const CHANNELS = ['web', 'app', 'pos', 'api'] as const;
/** Transactions of one wallet per append; GROUPS_PER_CHUNK of them are legs of transfers. */
const CHUNK = 50;
const GROUPS_PER_CHUNK = 4;
const KEPT_SAMPLES = 2_000;

export interface SearchDatasetOptions {
  /** Transactions in all (rounded to whole chunks of whole pairs of wallets). */
  readonly transactions: number;
  readonly transactionsPerWallet: number;
  /** Wallets (an even number) written by one appendMany, one chunk each. */
  readonly walletsPerAppend: number;
  /** Appends in flight at once, on wallets of their own. */
  readonly concurrency: number;
  readonly start: Date;
}

/** A transaction whose reference and metadata the scenario looks up. */
export interface SampleTransaction {
  readonly walletId: string;
  readonly transactionId: string;
  readonly reference: string;
  readonly orderId: string;
}

export interface SampleGroup {
  readonly groupId: string;
  readonly reference: string;
}

export interface SearchDataset {
  readonly wallets: readonly string[];
  readonly transactions: number;
  readonly groups: number;
  readonly events: number;
  readonly firstPosition: bigint;
  readonly lastPosition: bigint;
  readonly samples: readonly SampleTransaction[];
  readonly groupSamples: readonly SampleGroup[];
  /** The sums over every wallet at the end, folded with the domain's applyToBalance. */
  readonly totals: BalanceTotals;
}

/** Running state of the generation: counters, clock, samples and totals. */
class Ledger {
  transactions = 0;
  groups = 0;
  events = 0;
  totals: BalanceTotals = zeroBalance;
  readonly samples: SampleTransaction[] = [];
  readonly groupSamples: SampleGroup[] = [];
  private ticks = 0;

  constructor(
    private readonly start: Date,
    private readonly sampleEvery: number,
  ) {}

  now(): string {
    this.ticks += 1;
    return new Date(this.start.getTime() + this.ticks * 10).toISOString();
  }

  /** Encodes a wallet event, counting it into the totals. */
  walletEvent(event: WalletEvent): NewEvent {
    this.events += 1;
    if (recordsTransaction(event)) this.transactions += 1;
    this.totals = applyToBalance(this.totals, event);
    return encoded(encodeWalletEvent(event), event.data.walletId);
  }

  keep(sample: SampleTransaction): void {
    if (this.transactions % this.sampleEvery === 0 && this.samples.length < KEPT_SAMPLES) this.samples.push(sample);
  }

  keepGroup(sample: SampleGroup): void {
    if (this.groups % Math.max(1, Math.floor(this.sampleEvery / 2)) === 0 && this.groupSamples.length < KEPT_SAMPLES) this.groupSamples.push(sample);
  }
}

const encoded = (event: { type: string; schemaVersion: number; data: unknown }, correlationId: string): NewEvent => ({
  id: uuidv7(),
  ...event,
  metadata: { correlationId, causationId: correlationId },
});

/** One wallet's own transactions, in a cycle of eight: every one carries a reference and metadata. */
function ownTransactions(ledger: Ledger, walletId: string, count: number): NewEvent[] {
  const events: NewEvent[] = [];
  for (let i = 0; i < count; i += 1) {
    const sequence = ledger.transactions;
    const transactionId = uuidv7();
    const reference = `tx-${sequence}`;
    const orderId = `order-${sequence}`;
    const recorded = {
      walletId,
      transactionId,
      description: null,
      metadata: { orderId, channel: CHANNELS[sequence % CHANNELS.length]!, customer: `customer-${sequence % 5_000}` },
      groupId: null,
      recordedAt: ledger.now(),
      reference,
    };
    ledger.keep({ walletId, transactionId, reference, orderId });
    const hold = (transactionType: TransactionType, amountMinor: bigint): WalletEvent => ({ type: 'HoldPlaced', data: { ...recorded, amountMinor, transactionType, expiresAt: null } });
    switch (sequence % 8) {
      case 0:
      case 7:
        events.push(ledger.walletEvent({ type: 'FundsCredited', data: { ...recorded, amountMinor: sequence % 8 === 0 ? 1_000n : 250n } }));
        break;
      case 1:
      case 4:
        events.push(ledger.walletEvent({ type: 'FundsDebited', data: { ...recorded, amountMinor: sequence % 8 === 1 ? 300n : 100n } }));
        break;
      case 2:
        // A debit hold, captured in full at once.
        events.push(ledger.walletEvent(hold('debit', 200n)));
        events.push(ledger.walletEvent({ type: 'HoldConfirmed', data: { walletId, transactionId, transactionType: 'debit', amountMinor: 200n, confirmedAt: ledger.now() } }));
        break;
      case 3:
        events.push(ledger.walletEvent({ type: 'FundsCredited', data: { ...recorded, amountMinor: 100n } }));
        break;
      case 5:
        // Holds left pending, so that the totals' pending sums are not 0.
        events.push(ledger.walletEvent(hold('credit', 50n)));
        break;
      default:
        events.push(ledger.walletEvent(hold('debit', 20n)));
    }
  }
  return events;
}

/** A transfer of 100 between a pair as a completed group with a reference: its legs, its group event and its reservation. */
function transfer(ledger: Ledger, from: string, to: string): { legs: [NewEvent, NewEvent]; group: NewEvent; reservation: NewEvent; groupId: string; reference: string } {
  const groupId = uuidv7();
  const reference = `grp-${ledger.groups}`;
  ledger.groups += 1;
  const recordedAt = ledger.now();
  const legs: GroupLeg[] = [
    { walletId: from, transactionId: uuidv7(), transactionType: 'debit', amountMinor: 100n, description: null },
    { walletId: to, transactionId: uuidv7(), transactionType: 'credit', amountMinor: 100n, description: null },
  ];
  const legEvent = (leg: GroupLeg): NewEvent =>
    ledger.walletEvent({
      type: leg.transactionType === 'debit' ? 'FundsDebited' : 'FundsCredited',
      data: { walletId: leg.walletId, transactionId: leg.transactionId, amountMinor: leg.amountMinor, description: null, metadata: {}, groupId, recordedAt },
    });
  const metadata = { settlement: `batch-${ledger.groups % 1_000}` };
  const group = encoded(
    encodeGroupEvent({ type: 'TransactionGroupRecorded', data: { groupId, currency: 'USD', pending: false, description: null, metadata, expiresAt: null, legs, recordedAt, reference } }),
    groupId,
  );
  const reservation = encoded(encodeGroupReferenceEvent({ type: 'GroupReferenceReserved', data: { reference, groupId, reservedAt: recordedAt } }), groupId);
  ledger.events += 2;
  ledger.keepGroup({ groupId, reference });
  return { legs: [legEvent(legs[0]!), legEvent(legs[1]!)], group, reservation, groupId, reference };
}

/** A pair of wallets and the revisions their streams are at. */
interface Pair {
  readonly a: string;
  readonly b: string;
  revisionA: number;
  revisionB: number;
}

/** One chunk for each wallet of `pairs`, and GROUPS_PER_CHUNK transfers within each pair, as one atomic append. */
function chunkAppend(ledger: Ledger, pairs: readonly Pair[], chunk: number): StreamAppend[] {
  const appends: StreamAppend[] = [];
  for (const pair of pairs) {
    const [eventsA, eventsB] = [ownTransactions(ledger, pair.a, chunk - GROUPS_PER_CHUNK), ownTransactions(ledger, pair.b, chunk - GROUPS_PER_CHUNK)];
    for (let g = 0; g < GROUPS_PER_CHUNK; g += 1) {
      const [from, to] = g % 2 === 0 ? [pair.a, pair.b] : [pair.b, pair.a];
      const moved = transfer(ledger, from, to);
      (from === pair.a ? eventsA : eventsB).push(moved.legs[0]);
      (to === pair.a ? eventsA : eventsB).push(moved.legs[1]);
      appends.push({ stream: groupStream(moved.groupId), events: [moved.group], expectedRevision: 'no_stream' });
      appends.push({ stream: groupReferenceStream(moved.reference), events: [moved.reservation], expectedRevision: 'no_stream' });
    }
    appends.push({ stream: walletStream(pair.a), events: eventsA, expectedRevision: pair.revisionA });
    appends.push({ stream: walletStream(pair.b), events: eventsB, expectedRevision: pair.revisionB });
    pair.revisionA += eventsA.length;
    pair.revisionB += eventsB.length;
  }
  return appends;
}

/** Opens every wallet of the lane in one append; returns its pairs at revision 0. */
async function openPairs(store: EventStore, ledger: Ledger, pairCount: number): Promise<Pair[]> {
  const pairs = Array.from({ length: pairCount }, (): Pair => ({ a: uuidv7(), b: uuidv7(), revisionA: 0, revisionB: 0 }));
  const opened = (walletId: string): StreamAppend => ({
    stream: walletStream(walletId),
    events: [ledger.walletEvent({ type: 'WalletOpened', data: { walletId, walletType: 'bench', currency: 'USD', owners: [], metadata: { tier: 'bench' }, openedAt: ledger.now() } })],
    expectedRevision: 'no_stream',
  });
  for (let i = 0; i < pairs.length; i += 50) await store.appendMany(pairs.slice(i, i + 50).flatMap((pair) => [opened(pair.a), opened(pair.b)]));
  return pairs;
}

/**
 * Appends the dataset: lanes of pairs written at once, each lane taking its pairs in turn,
 * `walletsPerAppend / 2` pairs an append, one chunk each, until every wallet has its
 * transactions, as live traffic interleaves wallets.
 */
export async function appendSearchDataset(store: EventStore, options: SearchDatasetOptions): Promise<SearchDataset> {
  const chunk = Math.min(CHUNK, options.transactionsPerWallet);
  if (chunk <= GROUPS_PER_CHUNK) throw new Error(`At least ${GROUPS_PER_CHUNK + 1} transactions per wallet, got ${options.transactionsPerWallet}.`);
  const chunksPerWallet = Math.max(1, Math.round(options.transactionsPerWallet / chunk));
  const pairCount = Math.max(1, Math.round(options.transactions / (2 * chunk * chunksPerWallet)));
  const ledger = new Ledger(options.start, Math.max(1, Math.floor(options.transactions / KEPT_SAMPLES)));
  const lanes = Array.from({ length: Math.min(options.concurrency, pairCount) }, () => [] as Pair[]);
  const allPairs = await openPairs(store, ledger, pairCount);
  allPairs.forEach((pair, index) => lanes[index % lanes.length]!.push(pair));
  const pairsPerAppend = Math.max(1, Math.floor(options.walletsPerAppend / 2));
  let firstPosition: bigint | undefined;
  let lastPosition = 0n;
  await Promise.all(
    lanes.map(async (pairs) => {
      for (let round = 0; round < chunksPerWallet; round += 1) {
        for (let i = 0; i < pairs.length; i += pairsPerAppend) {
          const result = await store.appendMany(chunkAppend(ledger, pairs.slice(i, i + pairsPerAppend), chunk));
          firstPosition ??= result.events[0]!.position;
          if (result.position > lastPosition) lastPosition = result.position;
        }
      }
    }),
  );
  return {
    wallets: allPairs.flatMap((pair) => [pair.a, pair.b]),
    transactions: ledger.transactions,
    groups: ledger.groups,
    events: ledger.events,
    firstPosition: firstPosition ?? 0n,
    lastPosition,
    samples: ledger.samples,
    groupSamples: ledger.groupSamples,
    totals: ledger.totals,
  };
}
