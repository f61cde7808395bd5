import { Command } from '@nestjs/cqrs';
import type { GroupLegRequest, Metadata } from '@wallet/domain';
import type { CommandContext } from '../../write-path/command-context';
import type { GroupResultView } from '../../http/group.presenter';

export interface GroupRequest {
  readonly legs: readonly GroupLegRequest[];
  readonly pending: boolean;
  readonly expiresAt: Date | null;
  readonly description: string | null;
  readonly metadata: Metadata;
}

export class RecordGroupCommand extends Command<GroupResultView> {
  constructor(
    readonly groupId: string,
    readonly request: GroupRequest,
    readonly context: CommandContext,
  ) {
    super();
  }
}
