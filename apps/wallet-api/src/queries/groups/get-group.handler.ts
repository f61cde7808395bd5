import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DomainError } from '@wallet/domain';
import { findGroup } from '@wallet/read-model';
import { PG_POOL } from '@wallet/postgres';
import type { Pool } from 'pg';
import type { GroupView } from '../../http/group.presenter';
import { GetGroupQuery } from './get-group.query';
import { presentGroup } from './group-record.presenter';

@QueryHandler(GetGroupQuery)
export class GetGroupHandler implements IQueryHandler<GetGroupQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ groupId }: GetGroupQuery): Promise<GroupView> {
    const group = await findGroup(this.pool, groupId);
    if (!group) throw new DomainError('GROUP_NOT_FOUND', 'No transaction group has this id.');
    return presentGroup(group);
  }
}
