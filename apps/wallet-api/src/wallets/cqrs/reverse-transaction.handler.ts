import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { TransactionResultView } from '../../http/wallet.presenter';
import { WalletCommandRunner } from '../../write-path/wallet-command-runner';
import { presentTransactionResult } from '../transaction-result.presenter';
import { ReverseTransactionCommand } from './reverse-transaction.command';

/** Answers with the new reversal transaction: transactionAfter describes it for TransactionReversed. */
@CommandHandler(ReverseTransactionCommand)
export class ReverseTransactionHandler implements ICommandHandler<ReverseTransactionCommand> {
  constructor(private readonly runner: WalletCommandRunner) {}

  execute({ domainCommand, context }: ReverseTransactionCommand): Promise<TransactionResultView> {
    return this.runner.run(domainCommand, presentTransactionResult, context);
  }
}
