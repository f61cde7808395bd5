import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { WalletIdPipe } from '../../http/id.pipe';
import { ReadModelCheckpoint, ReadModelQuery } from '../read-model/read-model-query.decorator';
import { BalanceAtQuery } from './balance-at.query';
import { BalanceQueryDto } from './balance.dto';
import { type BalanceAtView, balanceAtSchema } from './balance.presenter';

@ApiTags('balances')
@Controller('v1/wallets/:walletId/balance')
export class BalanceController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ReadModelQuery(BalanceQueryDto, balanceAtSchema, { 404: ['WALLET_NOT_FOUND'] })
  @ApiOperation({ summary: 'The balance now, at a time (at) or at a log position (atPosition), exact for any history length' })
  get(@Param(WalletIdPipe.parameter, WalletIdPipe) walletId: string, @Query() query: BalanceQueryDto, @ReadModelCheckpoint() checkpoint: bigint): Promise<BalanceAtView> {
    return this.queryBus.execute(new BalanceAtQuery(walletId, query, checkpoint));
  }
}
