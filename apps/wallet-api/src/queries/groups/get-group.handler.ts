import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DomainError } from '@wallet/domain';
import { findGroup } from '@wallet/read-model';
import { PG_POOL } from '@wallet/postgres';
import type { Pool } from 'pg';
import type { GroupView } from '../../http/group.presenter';
import { presentTransaction } from '../transactions/transaction-record.presenter';
import { GetGroupQuery } from './get-group.query';

@QueryHandler(GetGroupQuery)
export class GetGroupHandler implements IQueryHandler<GetGroupQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ groupId }: GetGroupQuery): Promise<GroupView> {
    const group = await findGroup(this.pool, groupId);
    if (!group) throw new DomainError('GROUP_NOT_FOUND', 'No transaction group has this id.');
    const { id, status, description, reference, reversalOf, reversedBy, createdAt, updatedAt, expiresAt } = group;
    return {
      id,
      status,
      description,
      // The read model stores the metadata the command validated.
      metadata: { ...group.metadata } as GroupView['metadata'],
      reference,
      reversalOf,
      reversedBy,
      transactions: group.transactions.map(presentTransaction),
      createdAt,
      updatedAt,
      expiresAt,
    };
  }
}
