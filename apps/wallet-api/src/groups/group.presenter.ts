import { type TransactionSnapshot, transactionAfter } from '@wallet/domain';
import { type TransactionView, toTransactionView } from '../wallets/wallet.presenter';
import { walletStream } from '../wallets/wallet-states';
import type { GroupOutcome } from './group-command-runner';

export interface GroupView {
  id: string;
  status: 'pending' | 'completed' | 'rejected';
  description: string | null;
  metadata: Record<string, unknown>;
  transactions: TransactionView[];
  createdAt: string;
  updatedAt: string;
  expiresAt: string | null;
}

export interface GroupResultView {
  group: GroupView;
  position: string;
}

/** `{ group, position }` after a group command: every leg as its wallet now sees it, in leg order. */
export function presentGroupResult({ group, walletsBefore, decision, appended }: GroupOutcome): GroupResultView {
  const legs = new Map<string, TransactionView>();
  for (const [walletId, events] of decision.walletEvents) {
    const positions = appended.events.filter((e) => e.stream === walletStream(walletId)).map((e) => e.position);
    events.forEach((event, index) => {
      const snapshot = transactionAfter(walletsBefore.get(walletId)!, event) as TransactionSnapshot;
      legs.set(snapshot.transactionId, toTransactionView(snapshot, positions[index]!));
    });
  }
  const transactions = group.legs.map((leg) => legs.get(leg.transactionId)!);
  const { groupId: id, status, description, createdAt, updatedAt, expiresAt } = group;
  return { group: { id, status, description, metadata: { ...group.metadata }, transactions, createdAt, updatedAt, expiresAt }, position: appended.position.toString() };
}
