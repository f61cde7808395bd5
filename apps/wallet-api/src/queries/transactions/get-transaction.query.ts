import { Query } from '@nestjs/cqrs';
import type { TransactionView } from '../../http/wallet.presenter';

export class GetTransactionQuery extends Query<TransactionView> {
  constructor(
    readonly walletId: string,
    readonly transactionId: string,
  ) {
    super();
  }
}
