import { Command } from '@nestjs/cqrs';
import type { OpenWallet } from '@wallet/domain';
import type { WalletView } from '../../http/wallet.presenter';
import type { CommandContext, Unstamped } from '../../write-path/command-context';

export class OpenWalletCommand extends Command<WalletView> {
  constructor(
    readonly domainCommand: Unstamped<OpenWallet>,
    readonly context: CommandContext,
  ) {
    super();
  }
}
