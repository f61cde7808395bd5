import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@wallet/config';
import {
  type WalletCommand,
  type WalletEvent,
  type WalletState,
  decide,
  decodeWalletEvent,
  encodeWalletEvent,
  evolve,
  foldWallet,
  initialState,
} from '@wallet/domain';
import {
  EVENT_STORE,
  type EventStore,
  IDEMPOTENCY_STORE,
  type IdempotencyStore,
  WrongExpectedRevisionError,
} from '@wallet/event-store';
import { LRUCache } from 'lru-cache';
import { CLOCK, type Clock } from '@wallet/config';
import { type CommandContext, storedSuccess } from './command-context';
import { KeyedSerialQueue } from './keyed-serial-queue';
import { WriteContentionError } from './write-contention.error';

const STREAM_PAGE_SIZE = 1_000;

/** What a command did: the state before and after, its events and the log position reached. */
export interface Decision {
  readonly before: WalletState;
  readonly after: WalletState;
  readonly events: readonly WalletEvent[];
  /** Position of the last event appended; null when the command changed nothing. */
  readonly position: bigint | null;
}

export type Presenter<View> = (decision: Decision) => View;

interface LoadedWallet {
  readonly state: WalletState;
}

export const walletStream = (walletId: string): string => `wallet-${walletId}`;

/**
 * Load, decide, append: the one write path every wallet command takes. State is cached per
 * wallet and caught up from the stream before each decision; the append's expected revision
 * is the only concurrency control, and a conflict reloads and decides again (bounded).
 */
@Injectable()
export class WalletCommandRunner {
  private readonly cache: LRUCache<string, LoadedWallet>;
  private readonly queue = new KeyedSerialQueue();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(IDEMPOTENCY_STORE) private readonly idempotency: IdempotencyStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.cache = new LRUCache({ max: Math.max(1, config.WALLET_CACHE_MAX) });
  }

  run<View>(walletId: string, command: (now: Date) => WalletCommand, present: Presenter<View>, context: CommandContext): Promise<View> {
    return this.queue.run(walletId, () => this.decideAndAppend(walletId, command, present, context));
  }

  private async decideAndAppend<View>(walletId: string, command: (now: Date) => WalletCommand, present: Presenter<View>, context: CommandContext): Promise<View> {
    for (let attempt = 1; ; attempt += 1) {
      const before = await this.load(walletId);
      const events = decide(command(this.clock.now()), before);
      if (events.length === 0) return this.answerUnchanged(before, present, context);
      try {
        return await this.append(walletId, before, events, present, context);
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        this.cache.delete(walletId);
        if (attempt >= this.config.COMMAND_RETRIES_MAX) {
          throw new WriteContentionError(`Wallet ${walletId} is being changed by other writers; try again.`);
        }
        await sleep(Math.random() * 5 * attempt);
      }
    }
  }

  private async append<View>(walletId: string, before: WalletState, events: WalletEvent[], present: Presenter<View>, context: CommandContext): Promise<View> {
    const after = foldWallet(events, before);
    const metadata = {
      correlationId: context.requestId,
      causationId: context.requestId,
      ...(context.idempotency ? { idempotencyKey: context.idempotency.key } : {}),
    };
    const expectedRevision = before.version === 0 ? 'no_stream' : before.version - 1;
    const held = context.idempotency;
    // With an idempotency key, the answer is built inside the append's transaction (it needs
    // the position) and stored there; the same object is then returned to the caller.
    let view: View | undefined;
    const answer = (position: bigint): View => (view = present({ before, after, events, position }));
    const result = await this.store.append(
      walletStream(walletId),
      events.map((event) => ({ ...encodeWalletEvent(event), metadata })),
      expectedRevision,
      held && { idempotency: { ...held, response: (appended) => storedSuccess(held, answer(appended.position)) } },
    );
    this.cache.set(walletId, { state: after });
    return view ?? answer(result.position);
  }

  private async answerUnchanged<View>(state: WalletState, present: Presenter<View>, context: CommandContext): Promise<View> {
    const view = present({ before: state, after: state, events: [], position: null });
    const held = context.idempotency;
    if (held) await this.idempotency.complete(held.scope, held.key, held.token, storedSuccess(held, view));
    return view;
  }

  /** The cached state caught up with any events appended since (by other processes too). */
  private async load(walletId: string): Promise<WalletState> {
    let state = this.cache.get(walletId)?.state ?? initialState;
    for (;;) {
      const page = await this.store.readStream(walletStream(walletId), { fromRevision: state.version, maxCount: STREAM_PAGE_SIZE });
      for (const recorded of page) state = evolve(state, decodeWalletEvent(recorded));
      if (page.length < STREAM_PAGE_SIZE) break;
    }
    if (state.exists) this.cache.set(walletId, { state });
    return state;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
