import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type WalletView, toWalletView } from '../../http/wallet.presenter';
import { WalletCommandRunner } from '../../write-path/wallet-command-runner';
import { OpenWalletCommand } from './open-wallet.command';

@CommandHandler(OpenWalletCommand)
export class OpenWalletHandler implements ICommandHandler<OpenWalletCommand> {
  constructor(private readonly runner: WalletCommandRunner) {}

  execute({ domainCommand, context }: OpenWalletCommand): Promise<WalletView> {
    return this.runner.run(domainCommand, ({ after }) => toWalletView(after), context);
  }
}
