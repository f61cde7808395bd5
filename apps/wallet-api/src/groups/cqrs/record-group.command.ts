import { Command } from '@nestjs/cqrs';
import type { RecordGroup } from '@wallet/domain';
import type { GroupResultView } from '../../http/group.presenter';
import type { CommandContext, Unstamped } from '../../write-path/command-context';

export class RecordGroupCommand extends Command<GroupResultView> {
  constructor(
    readonly domainCommand: Unstamped<RecordGroup>,
    readonly context: CommandContext,
  ) {
    super();
  }
}
