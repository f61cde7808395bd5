import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { TransactionResultView } from '../../http/wallet.presenter';
import { WalletCommandRunner } from '../../write-path/wallet-command-runner';
import { presentTransactionResult } from '../transaction-result.presenter';
import { SettleTransactionCommand } from './settle-transaction.command';

@CommandHandler(SettleTransactionCommand)
export class SettleTransactionHandler implements ICommandHandler<SettleTransactionCommand> {
  constructor(private readonly runner: WalletCommandRunner) {}

  execute({ domainCommand, context }: SettleTransactionCommand): Promise<TransactionResultView> {
    return this.runner.run(domainCommand, presentTransactionResult, context);
  }
}
