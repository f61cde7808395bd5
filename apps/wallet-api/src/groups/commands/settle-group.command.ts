import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../commands/command-context';
import type { GroupResultView } from '../group.presenter';

/** Confirm every leg of a pending group, reject them (`rejection`), or expire them. */
export type GroupSettlement = { readonly how: 'confirm' } | { readonly how: 'reject'; readonly reason: string | null } | { readonly how: 'expire' };

export class SettleGroupCommand extends Command<GroupResultView> {
  constructor(
    readonly groupId: string,
    readonly settlement: GroupSettlement,
    readonly context: CommandContext,
  ) {
    super();
  }
}
