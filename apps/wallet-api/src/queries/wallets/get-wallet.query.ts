import { Query } from '@nestjs/cqrs';
import type { WalletView } from '../../http/wallet.presenter';

export class GetWalletQuery extends Query<WalletView> {
  constructor(readonly walletId: string) {
    super();
  }
}
