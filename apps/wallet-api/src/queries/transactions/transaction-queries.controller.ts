import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { TransactionIdPipe, WalletIdPipe } from '../../http/id.pipe';
import { type TransactionView, transactionPageSchema, transactionSchema } from '../../http/wallet.presenter';
import { ReadModelQuery } from '../read-model/read-model-query.decorator';
import { MinPositionQueryDto } from '../shared/min-position-query.dto';
import type { PageView } from '../../http/page.presenter';
import { GetTransactionQuery } from './get-transaction.query';
import { ListTransactionsQuery } from './list-transactions.query';
import { ListTransactionsQueryDto } from './transaction-queries.dto';

@ApiTags('transactions')
@Controller('v1/wallets/:walletId/transactions')
export class TransactionQueriesController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ReadModelQuery(ListTransactionsQueryDto, transactionPageSchema, { 404: ['WALLET_NOT_FOUND'] })
  @ApiOperation({ summary: "A wallet's transactions, archived ones included, in the order they were recorded" })
  list(@Param(WalletIdPipe.parameter, WalletIdPipe) walletId: string, @Query() query: ListTransactionsQueryDto): Promise<PageView<TransactionView>> {
    return this.queryBus.execute(new ListTransactionsQuery(walletId, query));
  }

  @Get(':transactionId')
  @ReadModelQuery(MinPositionQueryDto, transactionSchema, { 404: ['WALLET_NOT_FOUND', 'TRANSACTION_NOT_FOUND'] })
  @ApiOperation({ summary: 'One transaction, live or archived' })
  get(
    @Param(WalletIdPipe.parameter, WalletIdPipe) walletId: string,
    @Param(TransactionIdPipe.parameter, TransactionIdPipe) transactionId: string,
    @Query() _query: MinPositionQueryDto,
  ): Promise<TransactionView> {
    return this.queryBus.execute(new GetTransactionQuery(walletId, transactionId));
  }
}
