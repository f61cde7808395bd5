import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type WalletView, toWalletView } from '../../http/wallet.presenter';
import { WalletCommandRunner } from '../../write-path/wallet-command-runner';
import { AddWalletOwnerCommand } from './add-wallet-owner.command';

@CommandHandler(AddWalletOwnerCommand)
export class AddWalletOwnerHandler implements ICommandHandler<AddWalletOwnerCommand> {
  constructor(private readonly runner: WalletCommandRunner) {}

  execute({ domainCommand, context }: AddWalletOwnerCommand): Promise<WalletView> {
    return this.runner.run(domainCommand, ({ after }) => toWalletView(after), context);
  }
}
