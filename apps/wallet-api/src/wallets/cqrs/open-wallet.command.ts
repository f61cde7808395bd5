import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../write-path/command-context';
import type { CreateWalletDto } from '../dto/wallet.dto';
import type { WalletView } from '../../http/wallet.presenter';

export class OpenWalletCommand extends Command<WalletView> {
  constructor(
    readonly walletId: string,
    readonly body: CreateWalletDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}
