import { v7 as uuidv7 } from 'uuid';
import type { EventStore, ExpectedRevision, NewEvent, StreamAppend } from '../../libs/event-store/src';
import { type WalletEvent, encodeWalletEvent, recordsTransaction, walletStream } from '../../libs/wallet-domain/src';
import { confirmed, credited, debited, held, opened, rejected } from '../../libs/testing/src/builders/wallet.builders';

/**
 * One wallet's made-up history, written straight to the event store: loading millions of
 * transactions over HTTP would take hours. The wallet opens, then repeats a cycle of ten
 * events (eight transactions: credits, debits, a confirmed debit hold, a rejected credit
 * hold) that never overdraws it. Events are `stepMs` apart, starting at `start`.
 */
export class WalletHistory {
  readonly walletId = uuidv7();
  readonly stream = walletStream(this.walletId);
  /** Events produced so far. */
  private produced = 0;
  private transactionCount = 0;
  private holdId = '';

  constructor(
    private readonly start: Date,
    private readonly stepMs: number,
  ) {}

  get transactions(): number {
    return this.transactionCount;
  }

  /** The revision the next append expects. */
  get expectedRevision(): ExpectedRevision {
    return this.produced === 0 ? 'no_stream' : this.produced - 1;
  }

  /** The next `count` events, encoded for the store; fewer if `stop` says enough first. */
  take(count: number, stop: (history: WalletHistory) => boolean = () => false): NewEvent[] {
    const events: NewEvent[] = [];
    while (events.length < count && !stop(this)) {
      const event = this.next();
      if (recordsTransaction(event)) this.transactionCount += 1;
      events.push({ id: uuidv7(), ...encodeWalletEvent(event), metadata: { correlationId: this.walletId, causationId: this.walletId } });
    }
    return events;
  }

  private next(): WalletEvent {
    const walletId = this.walletId;
    const at = new Date(this.start.getTime() + this.produced * this.stepMs).toISOString();
    const step = this.produced === 0 ? -1 : (this.produced - 1) % 10;
    this.produced += 1;
    if (step === 3 || step === 6) this.holdId = uuidv7();
    switch (step) {
      case -1:
        return opened({ walletId, walletType: 'bench', openedAt: at });
      case 0:
        return credited(uuidv7(), 1_000n, { walletId, recordedAt: at });
      case 1:
        return credited(uuidv7(), 500n, { walletId, recordedAt: at, description: 'top-up' });
      case 2:
        return debited(uuidv7(), 300n, { walletId, recordedAt: at });
      case 3:
        return held(this.holdId, 'debit', 200n, { walletId, recordedAt: at });
      case 4:
        return confirmed(this.holdId, 'debit', 200n, { walletId, confirmedAt: at });
      case 5:
        return credited(uuidv7(), 100n, { walletId, recordedAt: at, metadata: { source: 'bench' } });
      case 6:
        return held(this.holdId, 'credit', 50n, { walletId, recordedAt: at });
      case 7:
        return rejected(this.holdId, 'credit', 50n, { walletId, rejectedAt: at, reason: 'bench' });
      case 8:
        return debited(uuidv7(), 100n, { walletId, recordedAt: at });
      default:
        return credited(uuidv7(), 250n, { walletId, recordedAt: at });
    }
  }
}

/** Appends one wallet's history until `stop` holds, `eventsPerAppend` events per call; returns its positions. */
export async function appendWalletHistory(
  store: EventStore,
  history: WalletHistory,
  stop: (history: WalletHistory) => boolean,
  eventsPerAppend: number,
): Promise<{ firstPosition: bigint; lastPosition: bigint }> {
  let firstPosition: bigint | undefined;
  let lastPosition = 0n;
  while (!stop(history)) {
    const expectedRevision = history.expectedRevision;
    const result = await store.append(history.stream, history.take(eventsPerAppend, stop), expectedRevision);
    firstPosition ??= result.events[0]!.position;
    lastPosition = result.position;
  }
  if (firstPosition === undefined) throw new Error(`Nothing appended to ${history.stream}.`);
  return { firstPosition, lastPosition };
}

export interface BacklogOptions {
  readonly events: number;
  readonly wallets: number;
  /** Events per append call, spread over `walletsPerAppend` wallets (appendMany). */
  readonly eventsPerAppend: number;
  readonly walletsPerAppend: number;
  /** Append calls in flight at once, each on wallets of its own. */
  readonly concurrency: number;
  readonly start: Date;
}

/**
 * Appends `events` events over `wallets` wallets, interleaved as live traffic would be:
 * each call writes a few events to each of `walletsPerAppend` wallets, taken in turn.
 */
export async function appendBacklog(store: EventStore, options: BacklogOptions): Promise<void> {
  const lanes = Array.from({ length: options.concurrency }, () => [] as WalletHistory[]);
  for (let i = 0; i < options.wallets; i += 1) lanes[i % options.concurrency]!.push(new WalletHistory(options.start, 1_000));
  const perWallet = Math.max(1, Math.floor(options.eventsPerAppend / options.walletsPerAppend));
  let remaining = options.events;
  await Promise.all(
    lanes.map(async (wallets) => {
      for (let next = 0; remaining > 0; next = (next + options.walletsPerAppend) % wallets.length) {
        const appends: StreamAppend[] = [];
        for (let i = 0; i < options.walletsPerAppend && remaining > 0; i += 1) {
          const history = wallets[(next + i) % wallets.length]!;
          if (appends.some((append) => append.stream === history.stream)) break;
          const expectedRevision = history.expectedRevision;
          const events = history.take(Math.min(perWallet, remaining));
          remaining -= events.length;
          appends.push({ stream: history.stream, events, expectedRevision });
        }
        await store.appendMany(appends);
      }
    }),
  );
}
