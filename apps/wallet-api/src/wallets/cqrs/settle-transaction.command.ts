import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../write-path/command-context';
import type { TransactionResultView } from '../../http/wallet.presenter';

/** Confirm a pending transaction, or reject it when `rejection` is given. */
export class SettleTransactionCommand extends Command<TransactionResultView> {
  constructor(
    readonly walletId: string,
    readonly transactionId: string,
    readonly rejection: { readonly reason: string | null } | null,
    readonly context: CommandContext,
  ) {
    super();
  }
}
