import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { OwnerRef } from '@wallet/access';
import { CallerOwner } from '../../auth/caller-owner.decorator';
import { type GroupView, groupSchema } from '../../http/group.presenter';
import { GroupIdPipe } from '../../http/id.pipe';
import type { PageView } from '../../http/page.presenter';
import { ReadModelQuery } from '../read-model/read-model-query.decorator';
import { MinPositionQueryDto } from '../shared/min-position-query.dto';
import { GetGroupQuery } from './get-group.query';
import { groupPageSchema } from './group-record.presenter';
import { ListGroupsQuery } from './list-groups.query';
import { ListGroupsQueryDto } from './group-queries.dto';

@ApiTags('transaction groups')
@Controller('v1/transaction-groups')
export class GroupQueriesController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ReadModelQuery(ListGroupsQueryDto, groupPageSchema)
  @ApiOperation({
    summary: 'Transaction groups in creation (id) order, by reference, wallet or status, with their legs',
    description: 'A key bound to an owner sees only groups all of whose legs are on wallets its owner holds, as GET of one group does.',
  })
  list(@Query() query: ListGroupsQueryDto, @CallerOwner() owner: OwnerRef | undefined): Promise<PageView<GroupView>> {
    return this.queryBus.execute(new ListGroupsQuery(query, owner));
  }

  @Get(':groupId')
  @ReadModelQuery(MinPositionQueryDto, groupSchema, { 404: ['GROUP_NOT_FOUND'] })
  @ApiOperation({ summary: 'A transaction group with its legs in order' })
  get(@Param(GroupIdPipe.parameter, GroupIdPipe) groupId: string, @Query() _query: MinPositionQueryDto): Promise<GroupView> {
    return this.queryBus.execute(new GetGroupQuery(groupId));
  }
}
