import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DomainError } from '@wallet/domain';
import { findWallet } from '@wallet/read-model';
import { PG_POOL } from '@wallet/postgres';
import type { Pool } from 'pg';
import { type WalletView, presentWallet } from '../../http/wallet.presenter';
import { GetWalletQuery } from './get-wallet.query';

@QueryHandler(GetWalletQuery)
export class GetWalletHandler implements IQueryHandler<GetWalletQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ walletId }: GetWalletQuery): Promise<WalletView> {
    const wallet = await findWallet(this.pool, walletId);
    if (!wallet) throw new DomainError('WALLET_NOT_FOUND', 'No wallet has this id.');
    return presentWallet(wallet);
  }
}
