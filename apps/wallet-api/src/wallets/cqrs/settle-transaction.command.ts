import { Command } from '@nestjs/cqrs';
import type { ConfirmTransaction, RejectTransaction } from '@wallet/domain';
import type { TransactionResultView } from '../../http/wallet.presenter';
import type { CommandContext, Unstamped } from '../../write-path/command-context';

/** Capture all or part of a pending transaction, or reject it. */
export class SettleTransactionCommand extends Command<TransactionResultView> {
  constructor(
    readonly domainCommand: Unstamped<ConfirmTransaction | RejectTransaction>,
    readonly context: CommandContext,
  ) {
    super();
  }
}
