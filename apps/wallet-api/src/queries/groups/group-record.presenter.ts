import type { GroupRecord } from '@wallet/read-model';
import { pageSchema } from '../../http/api-schemas';
import { type GroupView, groupSchema } from '../../http/group.presenter';
import { presentTransaction } from '../transactions/transaction-record.presenter';

export const groupPageSchema = pageSchema(groupSchema, 'GroupPage');

export function presentGroup(group: GroupRecord): GroupView {
  const { id, status, description, reference, reversalOf, reversedBy, createdAt, updatedAt, expiresAt } = group;
  return {
    id,
    status,
    description,
    // The read model stores the metadata the command validated.
    metadata: { ...group.metadata } as GroupView['metadata'],
    reference,
    reversalOf,
    reversedBy,
    transactions: group.transactions.map(presentTransaction),
    createdAt,
    updatedAt,
    expiresAt,
  };
}
