import { assertNever } from './domain-error';
import type { GroupEvent } from './group.events';
import { type GroupState, initialGroupState } from './group.state';

/** Applies one event to a group's state. Pure: returns a new state, never mutates. */
export function evolveGroup(state: GroupState, event: GroupEvent): GroupState {
  const version = state.version + 1;
  switch (event.type) {
    case 'TransactionGroupRecorded': {
      const { groupId, currency, pending, description, metadata, legs, expiresAt, recordedAt } = event.data;
      const status = pending ? 'pending' : 'completed';
      const reversalOf = event.data.reversalOf ?? null;
      const reference = event.data.reference ?? null;
      return { ...state, exists: true, groupId, currency, status, description, metadata, legs, expiresAt, reversalOf, reference, createdAt: recordedAt, updatedAt: recordedAt, version };
    }
    case 'TransactionGroupConfirmed':
      return { ...state, status: 'completed', updatedAt: event.data.confirmedAt, version };
    case 'TransactionGroupRejected':
      return { ...state, status: 'rejected', rejectReason: event.data.reason, updatedAt: event.data.rejectedAt, version };
    case 'TransactionGroupReversed':
      return { ...state, reversedBy: event.data.reversedBy, updatedAt: event.data.reversedAt, version };
    default:
      return assertNever(event);
  }
}

/** Folds a whole stream, oldest event first. */
export function foldGroup(events: Iterable<GroupEvent>, from: GroupState = initialGroupState): GroupState {
  let state = from;
  for (const event of events) state = evolveGroup(state, event);
  return state;
}
