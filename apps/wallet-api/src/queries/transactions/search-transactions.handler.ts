import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { listTransactions } from '@wallet/read-model';
import { PG_POOL } from '@wallet/postgres';
import type { Pool } from 'pg';
import type { TransactionView } from '../../http/wallet.presenter';
import { type PageView, toPage } from '../../http/page.presenter';
import { SearchTransactionsQuery } from './search-transactions.query';
import { presentTransaction } from './transaction-record.presenter';

/** Transactions across wallets; an unknown or foreign walletId finds none (an empty page, not a 404). */
@QueryHandler(SearchTransactionsQuery)
export class SearchTransactionsHandler implements IQueryHandler<SearchTransactionsQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ params, scopedTo }: SearchTransactionsQuery): Promise<PageView<TransactionView>> {
    const { walletId, status, type, reference, metadata, from, to, order, limit, cursor } = params;
    const rows = await listTransactions(this.pool, {
      walletId: walletId?.toLowerCase(),
      owner: scopedTo,
      ...{ status, type, reference, metadata, from, to, order },
      beyondPosition: cursor?.position,
      limit: limit + 1,
    });
    return toPage(rows, limit, presentTransaction, (row) => ({ position: row.createdPosition.toString(), order }));
  }
}
