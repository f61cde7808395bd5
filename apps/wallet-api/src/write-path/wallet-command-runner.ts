import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@wallet/config';
import { type WalletCommand, type WalletEvent, type WalletState, decideWallet, encodeWalletEvent, foldWallet, walletStream } from '@wallet/domain';
import { type Attempt, CommandExecutor } from './command-executor';
import { type Outcome, streamRevision } from './command-outcome';
import { type CommandContext, type Unstamped, stamp } from './command-context';
import { WalletStates } from './wallet-states';

/** What a command did: the state before and after, its events and the log position reached. */
export interface Decision {
  readonly before: WalletState;
  readonly after: WalletState;
  readonly events: readonly WalletEvent[];
  /** Position of the command's last event; null when the command changed nothing. */
  readonly position: bigint | null;
}

export type Presenter<View> = (decision: Decision) => View;

interface WaitingCommand {
  readonly command: Unstamped<WalletCommand>;
  readonly present: Presenter<unknown>;
  readonly context: CommandContext;
  readonly resolve: (view: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** Commands decided and appended together at most: bounds one append and its answers' wait. */
const BATCH_COMMANDS_MAX = 256;

/**
 * Load, decide, append for commands on one wallet. Commands that arrive while the wallet's
 * previous append is in flight wait together; the next turn decides all of them in arrival
 * order, each on the state the previous one left, and appends their events as one append.
 * A busy wallet then costs one append per turn instead of a conflict and retry per command.
 */
@Injectable()
export class WalletCommandRunner {
  private readonly waiting = new Map<string, WaitingCommand[]>();

  constructor(
    private readonly executor: CommandExecutor,
    private readonly wallets: WalletStates,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  run<View>(command: Unstamped<WalletCommand>, present: Presenter<View>, context: CommandContext): Promise<View> {
    const { walletId } = command;
    return new Promise<View>((resolve, reject) => {
      const waiting: WaitingCommand = { command, present, context, resolve: resolve as (view: unknown) => void, reject };
      const queue = this.waiting.get(walletId);
      if (queue) {
        queue.push(waiting);
      } else {
        this.waiting.set(walletId, [waiting]);
        void this.turn(walletId);
      }
    });
  }

  /** Runs the commands waiting for the wallet once its key is free. */
  private async turn(walletId: string): Promise<void> {
    let batch: WaitingCommand[] = [];
    try {
      const results = await this.executor.run([walletStream(walletId)], () => {
        batch = this.takeBatch(walletId);
        return {
          contexts: batch.map((waiting) => waiting.context),
          decide: (catchUp, skipped) => this.decideInOrder(walletId, batch, catchUp, skipped),
          learn: (missed) => this.wallets.learn(missed),
        };
      });
      results.forEach((result, index) => (result.status === 'fulfilled' ? batch[index]!.resolve(result.value) : batch[index]!.reject(result.reason)));
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    }
  }

  private takeBatch(walletId: string): WaitingCommand[] {
    const queue = this.waiting.get(walletId) ?? [];
    const batch = queue.splice(0, BATCH_COMMANDS_MAX);
    if (queue.length === 0) {
      this.waiting.delete(walletId);
    } else {
      void this.turn(walletId);
    }
    return batch;
  }

  private async decideInOrder(walletId: string, batch: readonly WaitingCommand[], catchUp: boolean, skipped: ReadonlySet<number>): Promise<Attempt> {
    const stream = walletStream(walletId);
    const loaded = await this.wallets.load(walletId, catchUp);
    const now = this.clock.now();
    let state = loaded.state;
    const outcomes = batch.map((waiting, index): Outcome => {
      // The executor answers a skipped command itself.
      if (skipped.has(index)) return { refused: null };
      const before = state;
      let events: WalletEvent[];
      try {
        events = decideWallet(stamp<WalletCommand>(waiting.command, now, waiting.context), before);
      } catch (refused) {
        return { refused };
      }
      const after = foldWallet(events, before);
      state = after;
      return {
        appends: [{ stream, events: events.map(encodeWalletEvent), expectedRevision: streamRevision(before.version) }],
        present: (appended) => waiting.present({ before, after, events, position: appended?.position ?? null }),
      };
    });
    return { outcomes, cached: loaded.cached, committed: () => this.wallets.remember(walletId, state) };
  }
}
