import { Command } from '@nestjs/cqrs';
import type { RecordTransaction } from '@wallet/domain';
import type { TransactionResultView } from '../../http/wallet.presenter';
import type { CommandContext, Unstamped } from '../../write-path/command-context';

export class RecordTransactionCommand extends Command<TransactionResultView> {
  constructor(
    readonly domainCommand: Unstamped<RecordTransaction>,
    readonly context: CommandContext,
  ) {
    super();
  }
}
