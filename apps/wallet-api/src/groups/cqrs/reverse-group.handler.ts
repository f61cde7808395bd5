import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { GroupResultView } from '../../http/group.presenter';
import { GroupCommandRunner } from '../../write-path/group-command-runner';
import { presentGroupResult } from '../group-result.presenter';
import { ReverseGroupCommand } from './reverse-group.command';

/** Answers with the new reversal group, which presentGroupResult picks from the decision. */
@CommandHandler(ReverseGroupCommand)
export class ReverseGroupHandler implements ICommandHandler<ReverseGroupCommand> {
  constructor(private readonly runner: GroupCommandRunner) {}

  execute({ domainCommand, context }: ReverseGroupCommand): Promise<GroupResultView> {
    return this.runner.run(domainCommand, presentGroupResult, context);
  }
}
