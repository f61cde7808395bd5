import { Query } from '@nestjs/cqrs';
import type { OwnerRef } from '@wallet/access';
import type { TransactionView } from '../../http/wallet.presenter';
import type { PageView } from '../../http/page.presenter';
import type { SearchTransactionsQueryDto } from './transaction-queries.dto';

export class SearchTransactionsQuery extends Query<PageView<TransactionView>> {
  /** `scopedTo`: the owner of an owner-scoped key, who sees only the transactions of the wallets it holds. */
  constructor(
    readonly params: SearchTransactionsQueryDto,
    readonly scopedTo?: OwnerRef,
  ) {
    super();
  }
}
