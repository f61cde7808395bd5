import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { listGroups } from '@wallet/read-model';
import { PG_POOL } from '@wallet/postgres';
import type { Pool } from 'pg';
import type { GroupView } from '../../http/group.presenter';
import { type PageView, toPage } from '../../http/page.presenter';
import { presentGroup } from './group-record.presenter';
import { ListGroupsQuery } from './list-groups.query';

@QueryHandler(ListGroupsQuery)
export class ListGroupsHandler implements IQueryHandler<ListGroupsQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ params, scopedTo }: ListGroupsQuery): Promise<PageView<GroupView>> {
    const { reference, walletId, status, limit, cursor } = params;
    const rows = await listGroups(this.pool, { reference, walletId, status, owner: scopedTo, afterId: cursor?.id, limit: limit + 1 });
    return toPage(rows, limit, presentGroup, (group) => ({ id: group.id }));
  }
}
