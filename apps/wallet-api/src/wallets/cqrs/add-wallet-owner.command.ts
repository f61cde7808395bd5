import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../write-path/command-context';
import type { AddOwnerDto } from '../dto/wallet.dto';
import type { WalletView } from '../../http/wallet.presenter';

export class AddWalletOwnerCommand extends Command<WalletView> {
  constructor(
    readonly walletId: string,
    readonly body: AddOwnerDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}
