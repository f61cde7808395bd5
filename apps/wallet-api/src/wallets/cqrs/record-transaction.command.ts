import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../write-path/command-context';
import type { RecordTransactionDto } from '../dto/transaction.dto';
import type { TransactionResultView } from '../../http/wallet.presenter';

export class RecordTransactionCommand extends Command<TransactionResultView> {
  constructor(
    readonly walletId: string,
    readonly transactionId: string,
    readonly body: RecordTransactionDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}
