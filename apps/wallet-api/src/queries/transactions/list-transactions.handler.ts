import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { listTransactions } from '@wallet/read-model';
import { PG_POOL } from '@wallet/postgres';
import type { Pool } from 'pg';
import type { TransactionView } from '../../http/wallet.presenter';
import { type PageView, toPage } from '../../http/page.presenter';
import { assertWalletKnown } from '../shared/wallet-existence';
import { ListTransactionsQuery } from './list-transactions.query';
import { presentTransaction } from './transaction-record.presenter';

@QueryHandler(ListTransactionsQuery)
export class ListTransactionsHandler implements IQueryHandler<ListTransactionsQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ walletId, params }: ListTransactionsQuery): Promise<PageView<TransactionView>> {
    const { status, type, reference, metadata, from, to, order, limit, cursor } = params;
    const filters = { status, type, reference, metadata, from, to, order };
    const rows = await listTransactions(this.pool, { walletId, ...filters, beyondPosition: cursor?.position, limit: limit + 1 });
    await assertWalletKnown(this.pool, walletId, rows.length);
    return toPage(rows, limit, presentTransaction, (row) => ({ position: row.createdPosition.toString(), order }));
  }
}
