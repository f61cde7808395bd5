import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@wallet/config';
import { type WalletState, decodeWalletEvent, evolveWallet, initialWalletState, walletStream } from '@wallet/domain';
import { EVENT_STORE, type EventStore } from '@wallet/event-store';
import { LRUCache } from 'lru-cache';

const STREAM_PAGE_SIZE = 1_000;

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
    let state = cached ?? initialWalletState;
    for (;;) {
      const page = await this.store.readStream(walletStream(walletId), { fromRevision: state.version, maxCount: STREAM_PAGE_SIZE });
      for (const recorded of page) state = evolveWallet(state, decodeWalletEvent(recorded));
      if (page.length < STREAM_PAGE_SIZE) break;
    }
    if (state.exists) this.remember(walletId, state);
    return { state, cached: false };
  }

  /** States of several wallets; `cached` when any came from the cache. */
  async loadAll(walletIds: readonly string[], catchUp: boolean): Promise<{ states: Map<string, WalletState>; cached: boolean }> {
    const loaded = await Promise.all(walletIds.map(async (id) => [id, await this.load(id, catchUp)] as const));
    return { states: new Map(loaded.map(([id, wallet]) => [id, wallet.state])), cached: loaded.some(([, wallet]) => wallet.cached) };
  }

  remember(walletId: string, state: WalletState): void {
    this.cache.set(walletId, { state });
  }
}
