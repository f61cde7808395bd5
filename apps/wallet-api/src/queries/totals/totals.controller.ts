import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReadModelQuery } from '../read-model/read-model-query.decorator';
import { TotalsQuery } from './totals.query';
import { TotalsQueryDto } from './totals.dto';
import { type TotalsView, totalsSchema } from './totals.presenter';

@ApiTags('totals')
@Controller('v1/totals')
export class TotalsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ReadModelQuery(TotalsQueryDto, totalsSchema, {}, 'admin')
  @ApiOperation({
    summary: 'The sums of the balances of every wallet of a currency, exact at a log position',
    description:
      'Admin only. A currency no wallet has answers zeros. atPosition beyond the read model waits for it up to the read-your-writes wait, then answers 503 READ_MODEL_BEHIND, as a balance at a position does.',
  })
  get(@Query() query: TotalsQueryDto): Promise<TotalsView> {
    return this.queryBus.execute(new TotalsQuery(query));
  }
}
