import type { TransactionRecord } from '@wallet/read-model';
import { type TransactionView, toTransactionView } from '../../http/wallet.presenter';

export function presentTransaction(record: TransactionRecord): TransactionView {
  return toTransactionView(record, record.position, record.archived);
}
