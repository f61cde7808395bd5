import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { WalletCommand } from '@wallet/domain';
import { WalletCommandRunner } from '../../write-path/wallet-command-runner';
import type { TransactionResultView } from '../../http/wallet.presenter';
import { SettleTransactionCommand } from './settle-transaction.command';
import { presentTransactionResult } from '../transaction-result.presenter';

@CommandHandler(SettleTransactionCommand)
export class SettleTransactionHandler implements ICommandHandler<SettleTransactionCommand> {
  constructor(private readonly runner: WalletCommandRunner) {}

  execute({ walletId, transactionId, rejection, context }: SettleTransactionCommand): Promise<TransactionResultView> {
    const command = (now: Date): WalletCommand =>
      rejection
        ? { type: 'RejectTransaction', walletId, transactionId, reason: rejection.reason, now }
        : { type: 'ConfirmTransaction', walletId, transactionId, now };
    return this.runner.run(walletId, command, presentTransactionResult, context);
  }
}
