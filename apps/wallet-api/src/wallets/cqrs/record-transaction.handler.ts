import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { WalletCommandRunner } from '../../write-path/wallet-command-runner';
import type { TransactionResultView } from '../../http/wallet.presenter';
import { RecordTransactionCommand } from './record-transaction.command';
import { presentTransactionResult } from '../transaction-result.presenter';

@CommandHandler(RecordTransactionCommand)
export class RecordTransactionHandler implements ICommandHandler<RecordTransactionCommand> {
  constructor(private readonly runner: WalletCommandRunner) {}

  execute({ walletId, transactionId, body, context }: RecordTransactionCommand): Promise<TransactionResultView> {
    return this.runner.run(
      walletId,
      (now) => ({
        type: 'RecordTransaction',
        walletId,
        transactionId,
        transactionType: body.type,
        amountMinor: BigInt(body.amount),
        description: body.description ?? null,
        metadata: body.metadata ?? {},
        pending: body.pending ?? false,
        expiresAt: body.expiresAt === undefined ? null : new Date(body.expiresAt),
        now,
      }),
      presentTransactionResult,
      context,
    );
  }
}
