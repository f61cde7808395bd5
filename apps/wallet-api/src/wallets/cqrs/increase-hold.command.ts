import { Command } from '@nestjs/cqrs';
import type { IncreaseHold } from '@wallet/domain';
import type { TransactionResultView } from '../../http/wallet.presenter';
import type { CommandContext, Unstamped } from '../../write-path/command-context';

/** Raise what a pending transaction holds (an incremental authorisation). */
export class IncreaseHoldCommand extends Command<TransactionResultView> {
  constructor(
    readonly domainCommand: Unstamped<IncreaseHold>,
    readonly context: CommandContext,
  ) {
    super();
  }
}
