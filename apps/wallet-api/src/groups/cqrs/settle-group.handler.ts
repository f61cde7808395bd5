import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { GroupCommand } from '@wallet/domain';
import { GroupCommandRunner } from '../../write-path/group-command-runner';
import type { GroupResultView } from '../../http/group.presenter';
import { presentGroupResult } from '../group-result.presenter';
import { SettleGroupCommand } from './settle-group.command';

@CommandHandler(SettleGroupCommand)
export class SettleGroupHandler implements ICommandHandler<SettleGroupCommand> {
  constructor(private readonly runner: GroupCommandRunner) {}

  execute({ groupId, settlement, context }: SettleGroupCommand): Promise<GroupResultView> {
    const command = (now: Date): GroupCommand => {
      if (settlement.how === 'confirm') return { type: 'ConfirmGroup', groupId, now };
      return { type: 'RejectGroup', groupId, reason: settlement.reason, now };
    };
    return this.runner.run(groupId, command, presentGroupResult, context);
  }
}
