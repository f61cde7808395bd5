import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DomainError } from '@wallet/domain';
import { findTransaction } from '@wallet/read-model';
import { PG_POOL } from '@wallet/postgres';
import type { Pool } from 'pg';
import type { TransactionView } from '../../http/wallet.presenter';
import { assertWalletKnown } from '../shared/wallet-existence';
import { GetTransactionQuery } from './get-transaction.query';
import { presentTransaction } from './transaction-record.presenter';

@QueryHandler(GetTransactionQuery)
export class GetTransactionHandler implements IQueryHandler<GetTransactionQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ walletId, transactionId }: GetTransactionQuery): Promise<TransactionView> {
    const transaction = await findTransaction(this.pool, walletId, transactionId);
    if (transaction) return presentTransaction(transaction);
    await assertWalletKnown(this.pool, walletId, 0);
    throw new DomainError('TRANSACTION_NOT_FOUND', 'This wallet has no transaction with this id.');
  }
}
