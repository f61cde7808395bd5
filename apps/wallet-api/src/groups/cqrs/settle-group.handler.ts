import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { GroupResultView } from '../../http/group.presenter';
import { GroupCommandRunner } from '../../write-path/group-command-runner';
import { presentGroupResult } from '../group-result.presenter';
import { SettleGroupCommand } from './settle-group.command';

@CommandHandler(SettleGroupCommand)
export class SettleGroupHandler implements ICommandHandler<SettleGroupCommand> {
  constructor(private readonly runner: GroupCommandRunner) {}

  execute({ domainCommand, context }: SettleGroupCommand): Promise<GroupResultView> {
    return this.runner.run(domainCommand, presentGroupResult, context);
  }
}
