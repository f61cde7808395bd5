import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { OwnerRef } from '@wallet/access';
import { CallerOwner } from '../../auth/caller-owner.decorator';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { WalletIdPipe } from '../../http/id.pipe';
import { type WalletView, walletPageSchema, walletSchema } from '../../http/wallet.presenter';
import { ReadModelQuery } from '../read-model/read-model-query.decorator';
import { MinPositionQueryDto } from '../shared/min-position-query.dto';
import type { PageView } from '../../http/page.presenter';
import { GetWalletQuery } from './get-wallet.query';
import { ListWalletsQuery } from './list-wallets.query';
import { ListWalletsQueryDto } from './wallet-queries.dto';

@ApiTags('wallets')
@Controller('v1/wallets')
export class WalletQueriesController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ReadModelQuery(ListWalletsQueryDto, walletPageSchema)
  @ApiOperation({ summary: 'List wallets in creation (id) order, by type, owner or metadata' })
  list(@Query() query: ListWalletsQueryDto, @CallerOwner() owner: OwnerRef | undefined): Promise<PageView<WalletView>> {
    return this.queryBus.execute(new ListWalletsQuery(query, owner));
  }

  @Get(':walletId')
  @ReadModelQuery(MinPositionQueryDto, walletSchema, { 404: ['WALLET_NOT_FOUND'] })
  @ApiOperation({ summary: 'A wallet with its current balance' })
  get(@Param(WalletIdPipe.parameter, WalletIdPipe) walletId: string, @Query() _query: MinPositionQueryDto): Promise<WalletView> {
    return this.queryBus.execute(new GetWalletQuery(walletId));
  }
}
