import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { GroupCommandRunner } from '../../write-path/group-command-runner';
import type { GroupResultView } from '../../http/group.presenter';
import { presentGroupResult } from '../group-result.presenter';
import { RecordGroupCommand } from './record-group.command';

@CommandHandler(RecordGroupCommand)
export class RecordGroupHandler implements ICommandHandler<RecordGroupCommand> {
  constructor(private readonly runner: GroupCommandRunner) {}

  execute({ groupId, request, context }: RecordGroupCommand): Promise<GroupResultView> {
    return this.runner.run(groupId, (now) => ({ type: 'RecordGroup', groupId, ...request, now }), presentGroupResult, context);
  }
}
