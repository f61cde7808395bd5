import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { OwnerRef } from '@wallet/access';
import { CallerOwner } from '../../auth/caller-owner.decorator';
import { type TransactionView, transactionPageSchema } from '../../http/wallet.presenter';
import type { PageView } from '../../http/page.presenter';
import { ReadModelQuery } from '../read-model/read-model-query.decorator';
import { SearchTransactionsQuery } from './search-transactions.query';
import { SearchTransactionsQueryDto } from './transaction-queries.dto';

@ApiTags('transactions')
@Controller('v1/transactions')
export class TransactionSearchController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ReadModelQuery(SearchTransactionsQueryDto, transactionPageSchema)
  @ApiOperation({
    summary: 'Transactions across wallets, archived ones included, by wallet, reference, metadata, type, status and time',
    description: 'A key bound to an owner sees only the transactions of the wallets its owner holds. Ordered by the position of the event that recorded each transaction, newest first unless order=asc.',
  })
  search(@Query() query: SearchTransactionsQueryDto, @CallerOwner() owner: OwnerRef | undefined): Promise<PageView<TransactionView>> {
    return this.queryBus.execute(new SearchTransactionsQuery(query, owner));
  }
}
