import type { OwnerRef, TransactionStatus, TransactionType } from '@wallet/domain';
import type { Pool } from 'pg';
import { type MetadataFilter, metadataConditions } from './metadata-filter';
import { heldWalletIdsSql } from './owner-access.queries';
import { SqlParams, type Statement } from './sql-params';
import { TRANSACTION_COLUMNS, type TransactionDbRow, type TransactionRecord, toTransactionRecord } from './transactions.queries';

export type HistoryOrder = 'asc' | 'desc';

/** Which transactions to list, live and archived: one wallet's history or a search across wallets. */
export interface TransactionFilter {
  /** One wallet's transactions; every wallet's when absent. */
  readonly walletId?: string;
  /** Only transactions of the wallets this owner holds (a key bound to an owner). */
  readonly owner?: OwnerRef;
  readonly status?: TransactionStatus;
  readonly type?: TransactionType;
  readonly reference?: string;
  readonly metadata?: MetadataFilter;
  /** created_at at or after it. */
  readonly from?: string;
  /** created_at before it. */
  readonly to?: string;
  readonly order: HistoryOrder;
  /**
   * Keyset: only transactions recorded after (asc) or before (desc) this position. Each
   * transaction is recorded by an event of its own (a group's legs too), so no two share one.
   */
  readonly beyondPosition?: bigint;
  readonly limit: number;
}

/**
 * One page of transactions, live and archived, in the order they were recorded.
 * Live and archived rows are read in one statement, so a row moving to the archive meanwhile
 * is seen once; each branch is ordered and limited on its own first, so that it can walk an
 * index ((wallet_id, created_position), (reference), the metadata GIN or (created_position)).
 */
export async function listTransactions(db: Pool, filter: TransactionFilter): Promise<TransactionRecord[]> {
  const { text, values } = transactionsStatement(filter);
  const { rows } = await db.query<TransactionDbRow>(text, [...values]);
  return rows.map(toTransactionRecord);
}

/** The statement listTransactions runs (its plan is checked in a spec). */
export function transactionsStatement(filter: TransactionFilter): Statement {
  const params = new SqlParams();
  const where = transactionConditions(filter, params).join(' and ') || 'true';
  const order = `created_position ${filter.order}`;
  const limit = params.add(filter.limit);
  const branch = (table: string, archived: boolean) =>
    `(select ${TRANSACTION_COLUMNS}, ${archived} as archived from read_model.${table} where ${where} order by ${order} limit ${limit})`;
  const text = `${branch('transactions', false)} union all ${branch('transactions_archive', true)} order by ${order} limit ${limit}`;
  return { text, values: params.values };
}

function transactionConditions(filter: TransactionFilter, params: SqlParams): string[] {
  const conditions: string[] = [];
  if (filter.walletId !== undefined) conditions.push(`wallet_id = ${params.add(filter.walletId)}::uuid`);
  if (filter.owner !== undefined) conditions.push(`wallet_id in (${heldWalletIdsSql(filter.owner, params)})`);
  if (filter.status !== undefined) conditions.push(`status = ${params.add(filter.status)}`);
  if (filter.type !== undefined) conditions.push(`type = ${params.add(filter.type)}`);
  if (filter.reference !== undefined) conditions.push(`reference = ${params.add(filter.reference)}`);
  if (filter.from !== undefined) conditions.push(`created_at >= ${params.add(filter.from)}::timestamptz`);
  if (filter.to !== undefined) conditions.push(`created_at < ${params.add(filter.to)}::timestamptz`);
  conditions.push(...metadataConditions('metadata', filter.metadata, params));
  if (filter.beyondPosition !== undefined) {
    conditions.push(`created_position ${filter.order === 'asc' ? '>' : '<'} ${params.add(filter.beyondPosition.toString())}::bigint`);
  }
  return conditions;
}
