import { Query } from '@nestjs/cqrs';
import type { OwnerRef } from '@wallet/access';
import type { WalletView } from '../../http/wallet.presenter';
import type { PageView } from '../../http/page.presenter';
import type { ListWalletsQueryDto } from './wallet-queries.dto';

export class ListWalletsQuery extends Query<PageView<WalletView>> {
  /** `scopedTo`: the owner of an owner-scoped key, who sees only the wallets it holds. */
  constructor(
    readonly params: ListWalletsQueryDto,
    readonly scopedTo?: OwnerRef,
  ) {
    super();
  }
}
