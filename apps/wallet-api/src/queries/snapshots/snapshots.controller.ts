import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { WalletIdPipe } from '../../http/id.pipe';
import { ReadModelQuery } from '../read-model/read-model-query.decorator';
import type { PageView } from '../../http/page.presenter';
import { ListSnapshotsQuery } from './list-snapshots.query';
import { type SnapshotView, snapshotPageSchema } from './snapshot.presenter';
import { ListSnapshotsQueryDto } from './snapshots.dto';

@ApiTags('balances')
@Controller('v1/wallets/:walletId/snapshots')
export class SnapshotsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ReadModelQuery(ListSnapshotsQueryDto, snapshotPageSchema, { 404: ['WALLET_NOT_FOUND'] })
  @ApiOperation({ summary: "A wallet's balance snapshots in position order" })
  list(@Param(WalletIdPipe.parameter, WalletIdPipe) walletId: string, @Query() query: ListSnapshotsQueryDto): Promise<PageView<SnapshotView>> {
    return this.queryBus.execute(new ListSnapshotsQuery(walletId, query));
  }
}
