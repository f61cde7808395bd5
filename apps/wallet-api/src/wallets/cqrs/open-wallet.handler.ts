import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { WalletCommandRunner } from '../../write-path/wallet-command-runner';
import { type WalletView, toWalletView } from '../../http/wallet.presenter';
import { OpenWalletCommand } from './open-wallet.command';

@CommandHandler(OpenWalletCommand)
export class OpenWalletHandler implements ICommandHandler<OpenWalletCommand> {
  constructor(private readonly runner: WalletCommandRunner) {}

  execute({ walletId, body, context }: OpenWalletCommand): Promise<WalletView> {
    const { type: walletType, currency, owners = [], metadata = {} } = body;
    return this.runner.run(
      walletId,
      (now) => ({ type: 'OpenWallet', walletId, walletType, currency, owners, metadata, now }),
      ({ after }) => toWalletView(after),
      context,
    );
  }
}
