import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { WalletCommandRunner } from '../../write-path/wallet-command-runner';
import { type WalletView, toWalletView } from '../../http/wallet.presenter';
import { AddWalletOwnerCommand } from './add-wallet-owner.command';

@CommandHandler(AddWalletOwnerCommand)
export class AddWalletOwnerHandler implements ICommandHandler<AddWalletOwnerCommand> {
  constructor(private readonly runner: WalletCommandRunner) {}

  execute({ walletId, body, context }: AddWalletOwnerCommand): Promise<WalletView> {
    return this.runner.run(
      walletId,
      (now) => ({ type: 'AddWalletOwner', walletId, ownerType: body.ownerType, ownerRef: body.ownerRef, now }),
      ({ after }) => toWalletView(after),
      context,
    );
  }
}
