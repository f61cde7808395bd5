import { Command } from '@nestjs/cqrs';
import type { SetOverdraftLimit } from '@wallet/domain';
import type { WalletView } from '../../http/wallet.presenter';
import type { CommandContext, Unstamped } from '../../write-path/command-context';

export class SetOverdraftLimitCommand extends Command<WalletView> {
  constructor(
    readonly domainCommand: Unstamped<SetOverdraftLimit>,
    readonly context: CommandContext,
  ) {
    super();
  }
}
