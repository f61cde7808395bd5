import { Command } from '@nestjs/cqrs';
import type { ConfirmGroup, RejectGroup } from '@wallet/domain';
import type { GroupResultView } from '../../http/group.presenter';
import type { CommandContext, Unstamped } from '../../write-path/command-context';

/** Confirm every leg of a pending group, or reject them all. (Expiry goes through HoldExpiryService.) */
export class SettleGroupCommand extends Command<GroupResultView> {
  constructor(
    readonly domainCommand: Unstamped<ConfirmGroup | RejectGroup>,
    readonly context: CommandContext,
  ) {
    super();
  }
}
