import { balanceOf, transactionAfter } from '@wallet/domain';
import type { Decision } from '../write-path/wallet-command-runner';
import { type TransactionResultView, toBalanceView, toTransactionView } from '../http/wallet.presenter';

/** `{ transaction, balance, position }` for a command that recorded or settled one transaction. */
export function presentTransactionResult({ before, after, events, position }: Decision): TransactionResultView {
  const event = events[0];
  const transaction = event && transactionAfter(before, event);
  if (!transaction || position === null) throw new Error('A transaction command must append exactly one transaction event.');
  return {
    transaction: toTransactionView(transaction, position),
    balance: toBalanceView(balanceOf(after)),
    position: position.toString(),
  };
}
