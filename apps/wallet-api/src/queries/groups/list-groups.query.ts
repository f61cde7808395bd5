import { Query } from '@nestjs/cqrs';
import type { OwnerRef } from '@wallet/access';
import type { GroupView } from '../../http/group.presenter';
import type { PageView } from '../../http/page.presenter';
import type { ListGroupsQueryDto } from './group-queries.dto';

export class ListGroupsQuery extends Query<PageView<GroupView>> {
  /** `scopedTo`: the owner of an owner-scoped key, who sees only groups all of whose legs are on wallets it holds. */
  constructor(
    readonly params: ListGroupsQueryDto,
    readonly scopedTo?: OwnerRef,
  ) {
    super();
  }
}
