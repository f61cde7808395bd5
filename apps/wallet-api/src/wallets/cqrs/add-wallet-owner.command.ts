import { Command } from '@nestjs/cqrs';
import type { AddWalletOwner } from '@wallet/domain';
import type { WalletView } from '../../http/wallet.presenter';
import type { CommandContext, Unstamped } from '../../write-path/command-context';

export class AddWalletOwnerCommand extends Command<WalletView> {
  constructor(
    readonly domainCommand: Unstamped<AddWalletOwner>,
    readonly context: CommandContext,
  ) {
    super();
  }
}
