import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@wallet/config';
import { type WalletState, decodeWalletEvent, evolveWallet, initialWalletState, isWalletStream, walletIdOfStream, walletStream } from '@wallet/domain';
import { EVENT_STORE, type EventStore, type MissedEvents, type RecordedEvent, readEachStream } from '@wallet/event-store';
import { LRUCache } from 'lru-cache';

const STREAM_PAGE_SIZE = 1_000;
/** Events per stream in a read of many: bounds that read; a longer rest is read stream by stream. */
const MANY_PAGE_SIZE = 100;

/** A wallet's state and whether it came from the cache (so may be behind its stream). */
export interface LoadedWallet {
  readonly state: WalletState;
  readonly cached: boolean;
}

/**
 * Wallet states for deciding commands, cached per wallet (LRU). A cached state is used as
 * it is: the append checks its revision, and a conflict asks for a catch-up, which reads
 * only the events after it.
 */
@Injectable()
export class WalletStates {
  private readonly cache: LRUCache<string, { state: WalletState }>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.cache = new LRUCache({ max: Math.max(1, config.WALLET_CACHE_MAX) });
  }

  /** The cached state, or with `catchUp` (or nothing cached) the state at the end of the stream. */
  async load(walletId: string, catchUp: boolean): Promise<LoadedWallet> {
    const cached = this.cache.get(walletId)?.state;
    if (cached && !catchUp) return { state: cached, cached: true };
    return this.settle(walletId, await this.readOn(walletId, cached ?? initialWalletState));
  }

  /**
   * Like `load` for each wallet, in order; the ones to read are read in one round trip when
   * the store can (a turn of groups may need dozens after a conflict or a restart).
   */
  async loadMany(walletIds: readonly string[], catchUp: boolean): Promise<LoadedWallet[]> {
    const loaded: LoadedWallet[] = [];
    const reads: { index: number; walletId: string; from: WalletState }[] = [];
    walletIds.forEach((walletId, index) => {
      const cached = this.cache.get(walletId)?.state;
      if (cached && !catchUp) loaded[index] = { state: cached, cached: true };
      else reads.push({ index, walletId, from: cached ?? initialWalletState });
    });
    const pages = await readEachStream(this.store, reads.map((read) => ({ stream: walletStream(read.walletId), fromRevision: read.from.version })), MANY_PAGE_SIZE);
    await Promise.all(
      reads.map(async ({ index, walletId, from }, i) => {
        const state = fold(from, pages[i]!);
        // A page that came back full may not be the whole rest of the stream.
        loaded[index] = this.settle(walletId, pages[i]!.length < MANY_PAGE_SIZE ? state : await this.readOn(walletId, state));
      }),
    );
    return loaded;
  }

  remember(walletId: string, state: WalletState): void {
    this.cache.set(walletId, { state });
  }

  /**
   * Folds what a conflict said was missed into the cached states. True when every stream that
   * had moved on is a wallet whose cached state the missed events follow, all of them there;
   * otherwise the wallets concerned are forgotten, to be read again.
   */
  learn(missed: ReadonlyMap<string, MissedEvents>): boolean {
    let current = true;
    for (const [stream, { events, complete }] of missed) {
      if (!isWalletStream(stream)) {
        current = false;
        continue;
      }
      const walletId = walletIdOfStream(stream);
      const cached = this.cache.get(walletId)?.state;
      if (cached && complete && events[0]?.revision === cached.version) {
        this.remember(walletId, fold(cached, events));
      } else {
        this.cache.delete(walletId);
        current = false;
      }
    }
    return current;
  }

  /** The state `from` with every event after it folded in, read page by page. */
  private async readOn(walletId: string, from: WalletState): Promise<WalletState> {
    let state = from;
    for (;;) {
      const page = await this.store.readStream(walletStream(walletId), { fromRevision: state.version, maxCount: STREAM_PAGE_SIZE });
      state = fold(state, page);
      if (page.length < STREAM_PAGE_SIZE) return state;
    }
  }

  /** A state read from the store: remembered when the wallet exists. */
  private settle(walletId: string, state: WalletState): LoadedWallet {
    if (state.exists) this.remember(walletId, state);
    return { state, cached: false };
  }
}

function fold(state: WalletState, page: readonly RecordedEvent[]): WalletState {
  return page.reduce((folded, recorded) => evolveWallet(folded, decodeWalletEvent(recorded)), state);
}
