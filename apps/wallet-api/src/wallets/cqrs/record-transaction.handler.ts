import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { TransactionResultView } from '../../http/wallet.presenter';
import { WalletCommandRunner } from '../../write-path/wallet-command-runner';
import { presentTransactionResult } from '../transaction-result.presenter';
import { RecordTransactionCommand } from './record-transaction.command';

@CommandHandler(RecordTransactionCommand)
export class RecordTransactionHandler implements ICommandHandler<RecordTransactionCommand> {
  constructor(private readonly runner: WalletCommandRunner) {}

  execute({ domainCommand, context }: RecordTransactionCommand): Promise<TransactionResultView> {
    return this.runner.run(domainCommand, presentTransactionResult, context);
  }
}
