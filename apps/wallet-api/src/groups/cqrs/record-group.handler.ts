import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { GroupResultView } from '../../http/group.presenter';
import { GroupCommandRunner } from '../../write-path/group-command-runner';
import { presentGroupResult } from '../group-result.presenter';
import { RecordGroupCommand } from './record-group.command';

@CommandHandler(RecordGroupCommand)
export class RecordGroupHandler implements ICommandHandler<RecordGroupCommand> {
  constructor(private readonly runner: GroupCommandRunner) {}

  execute({ domainCommand, context }: RecordGroupCommand): Promise<GroupResultView> {
    return this.runner.run(domainCommand, presentGroupResult, context);
  }
}
