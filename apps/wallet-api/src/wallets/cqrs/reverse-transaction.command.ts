import { Command } from '@nestjs/cqrs';
import type { ReverseTransaction } from '@wallet/domain';
import type { TransactionResultView } from '../../http/wallet.presenter';
import type { CommandContext, Unstamped } from '../../write-path/command-context';

/** Record a new transaction that gives back part or all of a confirmed one. */
export class ReverseTransactionCommand extends Command<TransactionResultView> {
  constructor(
    readonly domainCommand: Unstamped<ReverseTransaction>,
    readonly context: CommandContext,
  ) {
    super();
  }
}
