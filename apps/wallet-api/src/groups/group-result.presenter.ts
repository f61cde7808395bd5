import { type GroupState, type TransactionSnapshot, foldGroup, initialGroupState, transactionAfter, walletStream } from '@wallet/domain';
import { type TransactionView, toTransactionView } from '../http/wallet.presenter';
import type { GroupOutcome } from '../write-path/group-command-runner';
import type { GroupResultView } from '../http/group.presenter';

/**
 * `{ group, position }` after a group command: every leg as its wallet now sees it, in leg order.
 * A reversal answers with the new reversal group, whose legs are the reversal transactions.
 */
export function presentGroupResult({ group, walletsBefore, decision, appended }: GroupOutcome): GroupResultView {
  const legs = new Map<string, TransactionView>();
  for (const [walletId, events] of decision.walletEvents) {
    const positions = appended.events.filter((e) => e.stream === walletStream(walletId)).map((e) => e.position);
    events.forEach((event, index) => {
      const snapshot = transactionAfter(walletsBefore.get(walletId)!, event) as TransactionSnapshot;
      legs.set(snapshot.transactionId, toTransactionView(snapshot, positions[index]!));
    });
  }
  const { reversalGroup } = decision;
  const shown: GroupState = reversalGroup ? foldGroup(reversalGroup.groupEvents, { ...initialGroupState, groupId: reversalGroup.groupId }) : group;
  const transactions = shown.legs.map((leg) => legs.get(leg.transactionId)!);
  const { groupId: id, status, description, reference, reversalOf, reversedBy, createdAt, updatedAt, expiresAt } = shown;
  return {
    group: { id, status, description, metadata: { ...shown.metadata }, reference, reversalOf, reversedBy, transactions, createdAt, updatedAt, expiresAt },
    position: appended.position.toString(),
  };
}
