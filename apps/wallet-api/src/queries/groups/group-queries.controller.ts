import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type GroupView, groupSchema } from '../../http/group.presenter';
import { GroupIdPipe } from '../../http/id.pipe';
import { ReadModelQuery } from '../read-model/read-model-query.decorator';
import { MinPositionQueryDto } from '../shared/min-position-query.dto';
import { GetGroupQuery } from './get-group.query';

@ApiTags('transaction groups')
@Controller('v1/transaction-groups')
export class GroupQueriesController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':groupId')
  @ReadModelQuery(MinPositionQueryDto, groupSchema, { 404: ['GROUP_NOT_FOUND'] })
  @ApiOperation({ summary: 'A transaction group with its legs in order' })
  get(@Param(GroupIdPipe.parameter, GroupIdPipe) groupId: string, @Query() _query: MinPositionQueryDto): Promise<GroupView> {
    return this.queryBus.execute(new GetGroupQuery(groupId));
  }
}
