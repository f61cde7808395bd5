import { assertNever } from './domain-error';
import type { GroupEvent, GroupLeg } from './group.events';
import type { Metadata } from './wallet.events';

export type GroupStatus = 'pending' | 'completed' | 'rejected';

export interface GroupState {
  readonly exists: boolean;
  readonly groupId: string;
  readonly status: GroupStatus;
  readonly currency: string;
  readonly description: string | null;
  readonly metadata: Metadata;
  readonly legs: readonly GroupLeg[];
  readonly expiresAt: string | null;
  readonly rejectReason: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Number of events folded: the group stream's revision plus one. */
  readonly version: number;
}

export const initialGroupState: GroupState = Object.freeze({
  exists: false,
  groupId: '',
  status: 'pending',
  currency: '',
  description: null,
  metadata: {},
  legs: [],
  expiresAt: null,
  rejectReason: null,
  createdAt: '',
  updatedAt: '',
  version: 0,
});

export function evolveGroup(state: GroupState, event: GroupEvent): GroupState {
  const version = state.version + 1;
  switch (event.type) {
    case 'TransactionGroupRecorded': {
      const { groupId, currency, pending, description, metadata, legs, expiresAt, recordedAt } = event.data;
      const status = pending ? 'pending' : 'completed';
      return { ...state, exists: true, groupId, currency, status, description, metadata, legs, expiresAt, createdAt: recordedAt, updatedAt: recordedAt, version };
    }
    case 'TransactionGroupConfirmed':
      return { ...state, status: 'completed', updatedAt: event.data.confirmedAt, version };
    case 'TransactionGroupRejected':
      return { ...state, status: 'rejected', rejectReason: event.data.reason, updatedAt: event.data.rejectedAt, version };
    default:
      return assertNever(event);
  }
}
