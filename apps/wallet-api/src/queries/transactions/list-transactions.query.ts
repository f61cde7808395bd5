import { Query } from '@nestjs/cqrs';
import type { TransactionView } from '../../http/wallet.presenter';
import type { PageView } from '../../http/page.presenter';
import type { ListTransactionsQueryDto } from './transaction-queries.dto';

export class ListTransactionsQuery extends Query<PageView<TransactionView>> {
  constructor(
    readonly walletId: string,
    readonly params: ListTransactionsQueryDto,
  ) {
    super();
  }
}
