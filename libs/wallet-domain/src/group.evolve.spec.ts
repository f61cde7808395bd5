import { T0, T1, T2, groupConfirmed, groupId, groupRecorded, groupRejected, groupReversed, leg } from '@wallet/testing';
import { evolveGroup, foldGroup } from './group.evolve';
import { initialGroupState } from './group.state';

const A = 'wallet-a';
const B = 'wallet-b';
const iso = (date: Date): string => date.toISOString();

describe('evolveGroup', () => {
  const legs = [leg(A, 'tx-1', 'debit', 1n), leg(B, 'tx-2', 'credit', 1n)];

  it('folds recorded, confirmed and rejected groups', () => {
    expect(foldGroup([groupRecorded(legs, { description: 'd', metadata: { k: 1 } })])).toEqual({
      exists: true, groupId, status: 'completed', currency: 'USD', description: 'd', metadata: { k: 1 }, legs, expiresAt: null, rejectReason: null,
      reversalOf: null, reversedBy: null, reference: null, createdAt: iso(T0), updatedAt: iso(T0), version: 1,
    });
    expect(foldGroup([groupRecorded(legs, { pending: true, expiresAt: iso(T2) })])).toMatchObject({ status: 'pending', expiresAt: iso(T2), version: 1 });
    expect(foldGroup([groupRecorded(legs, { pending: true }), groupConfirmed({ confirmedAt: iso(T1) })])).toMatchObject({ status: 'completed', createdAt: iso(T0), updatedAt: iso(T1), version: 2 });
    expect(foldGroup([groupRecorded(legs, { pending: true }), groupRejected('why', { rejectedAt: iso(T1) })])).toMatchObject({ status: 'rejected', rejectReason: 'why', updatedAt: iso(T1), version: 2 });
  });

  it('a reversal group names the group it reverses', () => {
    expect(foldGroup([groupRecorded(legs, { groupId: 'group-2', reversalOf: groupId, recordedAt: iso(T1) })])).toMatchObject({
      groupId: 'group-2', status: 'completed', reversalOf: groupId, reversedBy: null, createdAt: iso(T1), version: 1,
    });
  });

  it('a reversed group stays completed and names the group that reversed it', () => {
    const reversed = foldGroup([groupRecorded(legs), groupReversed('group-2', { reason: 'refund', reversedAt: iso(T2) })]);
    expect(reversed).toMatchObject({ status: 'completed', reversalOf: null, reversedBy: 'group-2', createdAt: iso(T0), updatedAt: iso(T2), version: 2 });
  });

  it('version counts the events folded', () => {
    expect(initialGroupState.version).toBe(0);
    expect(foldGroup([groupRecorded(legs, { pending: true }), groupConfirmed()]).version).toBe(2);
  });

  it('never changes an earlier state', () => {
    const before = foldGroup([groupRecorded(legs, { pending: true })]);
    const after = evolveGroup(before, groupRejected('why', { rejectedAt: iso(T1) }));
    expect(after).toMatchObject({ status: 'rejected', rejectReason: 'why' });
    expect(before).toMatchObject({ status: 'pending', rejectReason: null, version: 1 });
    expect(initialGroupState).toMatchObject({ exists: false, groupId: '', version: 0 });
  });

  it('foldGroup equals reducing with evolveGroup, from any state', () => {
    const events = [groupRecorded(legs, { pending: true }), groupConfirmed({ confirmedAt: iso(T1) })];
    expect(foldGroup(events)).toEqual(events.reduce(evolveGroup, initialGroupState));
    const named = { ...initialGroupState, groupId };
    expect(foldGroup(events, named)).toEqual(events.reduce(evolveGroup, named));
  });
});
