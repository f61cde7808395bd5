import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { listWallets } from '@wallet/read-model';
import { PG_POOL } from '@wallet/postgres';
import type { Pool } from 'pg';
import { type WalletView, presentWallet } from '../../http/wallet.presenter';
import { type PageView, toPage } from '../../http/page.presenter';
import { ListWalletsQuery } from './list-wallets.query';

@QueryHandler(ListWalletsQuery)
export class ListWalletsHandler implements IQueryHandler<ListWalletsQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ params, scopedTo }: ListWalletsQuery): Promise<PageView<WalletView>> {
    const { ownerType, ownerRef, type, metadata, limit, cursor } = params;
    const asked = ownerType !== undefined && ownerRef !== undefined ? { ownerType, ownerRef } : undefined;
    // An owner-scoped key lists its owner's wallets; asking for another owner's finds none.
    if (scopedTo && asked && (asked.ownerType !== scopedTo.ownerType || asked.ownerRef !== scopedTo.ownerRef)) return { items: [], nextCursor: null };
    const owner = scopedTo ?? asked;
    const rows = await listWallets(this.pool, { type, owner, metadata, afterId: cursor?.id, limit: limit + 1 });
    return toPage(rows, limit, presentWallet, (wallet) => ({ id: wallet.id }));
  }
}
