import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@wallet/config';
import { type WalletState, decodeWalletEvent, evolve, initialState } from '@wallet/domain';
import { EVENT_STORE, type EventStore } from '@wallet/event-store';
import { LRUCache } from 'lru-cache';

const STREAM_PAGE_SIZE = 1_000;

export const walletStream = (walletId: string): string => `wallet-${walletId}`;

/**
 * Wallet states for deciding commands: cached per wallet (LRU) and caught up from the
 * stream before every use, so a cached state can be behind but is never used stale.
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

  /** The wallet's state caught up with every event appended since it was cached (by anyone). */
  async load(walletId: string): Promise<WalletState> {
    let state = this.cache.get(walletId)?.state ?? initialState;
    for (;;) {
      const page = await this.store.readStream(walletStream(walletId), { fromRevision: state.version, maxCount: STREAM_PAGE_SIZE });
      for (const recorded of page) state = evolve(state, decodeWalletEvent(recorded));
      if (page.length < STREAM_PAGE_SIZE) break;
    }
    if (state.exists) this.remember(walletId, state);
    return state;
  }

  async loadAll(walletIds: readonly string[]): Promise<Map<string, WalletState>> {
    const states = await Promise.all(walletIds.map(async (id) => [id, await this.load(id)] as const));
    return new Map(states);
  }

  remember(walletId: string, state: WalletState): void {
    this.cache.set(walletId, { state });
  }

  forget(walletIds: Iterable<string>): void {
    for (const id of walletIds) this.cache.delete(id);
  }
}
