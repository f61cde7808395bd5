import { Query } from '@nestjs/cqrs';
import type { GroupView } from '../../http/group.presenter';

export class GetGroupQuery extends Query<GroupView> {
  constructor(readonly groupId: string) {
    super();
  }
}
