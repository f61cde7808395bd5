import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type WalletView, toWalletView } from '../../http/wallet.presenter';
import { WalletCommandRunner } from '../../write-path/wallet-command-runner';
import { SetOverdraftLimitCommand } from './set-overdraft-limit.command';

@CommandHandler(SetOverdraftLimitCommand)
export class SetOverdraftLimitHandler implements ICommandHandler<SetOverdraftLimitCommand> {
  constructor(private readonly runner: WalletCommandRunner) {}

  execute({ domainCommand, context }: SetOverdraftLimitCommand): Promise<WalletView> {
    return this.runner.run(domainCommand, ({ after }) => toWalletView(after), context);
  }
}
