import { Query } from '@nestjs/cqrs';
import type { BalanceQueryDto } from './balance.dto';
import type { BalanceAtView } from './balance.presenter';

export class BalanceAtQuery extends Query<BalanceAtView> {
  constructor(
    readonly walletId: string,
    readonly params: BalanceQueryDto,
    /** The read model checkpoint the answer must stay within. */
    readonly checkpoint: bigint,
  ) {
    super();
  }
}
