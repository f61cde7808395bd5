import { type TransactionSnapshot, transactionAfter, walletStream } from '@wallet/domain';
import { z } from 'zod';
import { apiSchemas, idOut, metadataOut, positionOut, timestampOut } from '../http/api-schemas';
import { type TransactionView, toTransactionView, transactionSchema } from '../wallets/wallet.presenter';
import type { GroupOutcome } from '../write-path/group-command-runner';

export const groupSchema = z
  .strictObject({
    id: idOut,
    status: z.enum(['pending', 'completed', 'rejected']),
    description: z.string().nullable(),
    metadata: metadataOut,
    transactions: z.array(transactionSchema).describe('The legs, in the order they were given'),
    createdAt: timestampOut,
    updatedAt: timestampOut,
    expiresAt: timestampOut.nullable(),
  })
  .register(apiSchemas, { id: 'Group' });

export const groupResultSchema = z
  .strictObject({ group: groupSchema, position: positionOut.describe('The position of the last event the command appended') })
  .register(apiSchemas, { id: 'GroupResult' });

export type GroupView = z.infer<typeof groupSchema>;
export type GroupResultView = z.infer<typeof groupResultSchema>;

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
