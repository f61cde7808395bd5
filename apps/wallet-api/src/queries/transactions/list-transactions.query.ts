import { Query } from '@nestjs/cqrs';
import type { TransactionView } from '../../wallets/wallet.presenter';
import type { PageView } from '../shared/page.presenter';
import type { ListTransactionsQueryDto } from './transaction-queries.dto';

export class ListTransactionsQuery extends Query<PageView<TransactionView>> {
  constructor(
    readonly walletId: string,
    readonly params: ListTransactionsQueryDto,
  ) {
    super();
  }
}
