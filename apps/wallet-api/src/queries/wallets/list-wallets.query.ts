import { Query } from '@nestjs/cqrs';
import type { WalletView } from '../../wallets/wallet.presenter';
import type { PageView } from '../shared/page.presenter';
import type { ListWalletsQueryDto } from './wallet-queries.dto';

export class ListWalletsQuery extends Query<PageView<WalletView>> {
  constructor(readonly params: ListWalletsQueryDto) {
    super();
  }
}
