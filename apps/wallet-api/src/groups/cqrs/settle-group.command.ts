import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../write-path/command-context';
import type { GroupResultView } from '../../http/group.presenter';

/** Confirm every leg of a pending group, or reject them all. (Expiry goes through HoldExpiryService.) */
export type GroupSettlement = { readonly how: 'confirm' } | { readonly how: 'reject'; readonly reason: string | null };

export class SettleGroupCommand extends Command<GroupResultView> {
  constructor(
    readonly groupId: string,
    readonly settlement: GroupSettlement,
    readonly context: CommandContext,
  ) {
    super();
  }
}
