import { Command } from '@nestjs/cqrs';
import type { ReverseGroup } from '@wallet/domain';
import type { GroupResultView } from '../../http/group.presenter';
import type { CommandContext, Unstamped } from '../../write-path/command-context';

/** Reverse every leg of a completed group in full, as a new group. */
export class ReverseGroupCommand extends Command<GroupResultView> {
  constructor(
    readonly domainCommand: Unstamped<ReverseGroup>,
    readonly context: CommandContext,
  ) {
    super();
  }
}
