import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { TransactionResultView } from '../../http/wallet.presenter';
import { WalletCommandRunner } from '../../write-path/wallet-command-runner';
import { presentTransactionResult } from '../transaction-result.presenter';
import { IncreaseHoldCommand } from './increase-hold.command';

@CommandHandler(IncreaseHoldCommand)
export class IncreaseHoldHandler implements ICommandHandler<IncreaseHoldCommand> {
  constructor(private readonly runner: WalletCommandRunner) {}

  execute({ domainCommand, context }: IncreaseHoldCommand): Promise<TransactionResultView> {
    return this.runner.run(domainCommand, presentTransactionResult, context);
  }
}
