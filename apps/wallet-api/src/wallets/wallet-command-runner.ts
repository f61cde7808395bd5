import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@wallet/config';
import { type WalletCommand, type WalletEvent, type WalletState, decide, encodeWalletEvent, foldWallet } from '@wallet/domain';
import { CommandExecutor, streamRevision } from '../commands/command-executor';
import type { CommandContext } from '../commands/command-context';
import { WalletStates, walletStream } from './wallet-states';

/** What a command did: the state before and after, its events and the log position reached. */
export interface Decision {
  readonly before: WalletState;
  readonly after: WalletState;
  readonly events: readonly WalletEvent[];
  /** Position of the last event appended; null when the command changed nothing. */
  readonly position: bigint | null;
}

export type Presenter<View> = (decision: Decision) => View;

/** Load, decide, append for commands on one wallet. */
@Injectable()
export class WalletCommandRunner {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly wallets: WalletStates,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  run<View>(walletId: string, command: (now: Date) => WalletCommand, present: Presenter<View>, context: CommandContext): Promise<View> {
    return this.executor.execute(
      [walletStream(walletId)],
      async () => {
        const before = await this.wallets.load(walletId);
        const events = decide(command(this.clock.now()), before);
        const after = foldWallet(events, before);
        return {
          appends: [{ stream: walletStream(walletId), events: events.map(encodeWalletEvent), expectedRevision: streamRevision(before.version) }],
          present: (appended) => present({ before, after, events, position: appended?.position ?? null }),
          committed: () => this.wallets.remember(walletId, after),
          conflicted: () => this.wallets.forget([walletId]),
        };
      },
      context,
    );
  }
}
