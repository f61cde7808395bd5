import { T1, T2, T3, groupConfirmed, groupRecorded, groupReferenceReserved, groupRejected, groupReversed, leg } from '@wallet/testing';
import fc from 'fast-check';
import { GROUP_EVENT_SCHEMA_VERSIONS, GROUP_EVENT_TYPES, decodeGroupEvent, encodeGroupEvent } from './group-event.codec';
import { GROUP_REFERENCE_EVENT_SCHEMA_VERSIONS, decodeGroupReferenceEvent, encodeGroupReferenceEvent } from './group-reference';
import type { GroupEvent, GroupEventType, GroupLeg } from './group.events';
import { MAX_MINOR } from './money';

const A = 'wallet-a';
const B = 'wallet-b';
const iso = (date: Date): string => date.toISOString();

describe('group event codec', () => {
  const legs: GroupLeg[] = [leg(A, 'tx-1', 'debit', MAX_MINOR, 'all of it'), leg(B, 'tx-2', 'credit', 9007199254740993n)];
  const samples: Record<GroupEventType, GroupEvent> = {
    TransactionGroupRecorded: groupRecorded(legs, { pending: true, expiresAt: iso(T2), description: 'split', metadata: { a: 1, b: 'x', c: true, d: null } }),
    TransactionGroupConfirmed: groupConfirmed({ confirmedAt: iso(T1) }),
    TransactionGroupRejected: groupRejected('fraud', { rejectedAt: iso(T1) }),
    TransactionGroupReversed: groupReversed('group-2', { reason: 'refund', reversedAt: iso(T1) }),
  };
  const cases = Object.entries(samples) as [GroupEventType, GroupEvent][];

  it('knows every event type, each at schema version 1', () => {
    expect([...GROUP_EVENT_TYPES].sort()).toEqual(Object.keys(samples).sort());
    for (const type of GROUP_EVENT_TYPES) expect(GROUP_EVENT_SCHEMA_VERSIONS[type]).toBe(1);
  });

  it.each(cases)('round-trips %s through JSON text', (type, event) => {
    const encoded = encodeGroupEvent(event);
    expect(encoded).toMatchObject({ type, schemaVersion: 1 });
    const stored = JSON.parse(JSON.stringify(encoded)) as { type: string; schemaVersion: number; data: unknown };
    expect(decodeGroupEvent(stored)).toEqual(event);
  });

  it('round-trips a reversal group, which names the group it reverses', () => {
    const event = groupRecorded(legs, { groupId: 'group-2', reversalOf: 'group-1' });
    const stored = JSON.parse(JSON.stringify(encodeGroupEvent(event))) as { type: string; schemaVersion: number; data: unknown };
    expect(stored.data).toMatchObject({ reversalOf: 'group-1' });
    expect(decodeGroupEvent(stored)).toEqual(event);
  });

  it('decodes a recorded group written before reversals existed without a reversalOf', () => {
    const stored = JSON.parse(JSON.stringify(encodeGroupEvent(samples.TransactionGroupRecorded))) as { type: string; schemaVersion: number; data: Record<string, unknown> };
    expect(stored.data).not.toHaveProperty('reversalOf');
    expect(decodeGroupEvent(stored).data).not.toHaveProperty('reversalOf');
  });

  it('round-trips the reference of a recorded group, and writes none when the group has none', () => {
    const event = groupRecorded(legs, { reference: 'payout-2026-12' });
    const stored = JSON.parse(JSON.stringify(encodeGroupEvent(event))) as { type: string; schemaVersion: number; data: unknown };
    expect(stored.data).toMatchObject({ reference: 'payout-2026-12' });
    expect(decodeGroupEvent(stored)).toEqual(event);
    expect(encodeGroupEvent(samples.TransactionGroupRecorded).data).not.toHaveProperty('reference');
  });

  it('encodes leg amounts as exact decimal strings, leaving the event untouched', () => {
    const encoded = encodeGroupEvent(samples.TransactionGroupRecorded);
    expect((encoded.data['legs'] as { amountMinor: unknown }[]).map((l) => l.amountMinor)).toEqual(['9223372036854775807', '9007199254740993']);
    expect(legs.map((l) => typeof l.amountMinor)).toEqual(['bigint', 'bigint']);
  });

  it('round-trips any recorded group (property)', () => {
    const legArb = fc.record({
      walletId: fc.uuid(),
      transactionId: fc.uuid(),
      transactionType: fc.constantFrom('credit' as const, 'debit' as const),
      amountMinor: fc.bigInt({ min: 1n, max: MAX_MINOR }),
      description: fc.option(fc.string(), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(legArb, { minLength: 2, maxLength: 10 }), fc.boolean(), fc.option(fc.string(), { nil: null }), (legsN, pending, description) => {
        const event = groupRecorded(legsN, { pending, description, expiresAt: pending ? iso(T3) : null });
        expect(decodeGroupEvent(JSON.parse(JSON.stringify(encodeGroupEvent(event))))).toEqual(event);
      }),
      { seed: 2026, numRuns: 200 },
    );
  });

  it.each([0, 2])('refuses an unknown schemaVersion %p', (schemaVersion) => {
    expect(() => decodeGroupEvent({ ...encodeGroupEvent(samples.TransactionGroupConfirmed), schemaVersion })).toThrow(
      `Cannot decode TransactionGroupConfirmed v${schemaVersion}: this build knows v1.`,
    );
  });

  it('refuses an unknown type', () => {
    expect(() => decodeGroupEvent({ type: 'TransactionGroupMoved', schemaVersion: 1, data: {} })).toThrow(/^Cannot decode/);
  });
});

describe('group reference codec', () => {
  it('round-trips GroupReferenceReserved, at schema version 1, through JSON text', () => {
    const event = groupReferenceReserved('payout-2026-12', { groupId: 'group-7' });
    const encoded = encodeGroupReferenceEvent(event);
    expect(encoded).toEqual({ type: 'GroupReferenceReserved', schemaVersion: 1, data: { reference: 'payout-2026-12', groupId: 'group-7', reservedAt: iso(T1) } });
    expect(GROUP_REFERENCE_EVENT_SCHEMA_VERSIONS.GroupReferenceReserved).toBe(1);
    expect(decodeGroupReferenceEvent(JSON.parse(JSON.stringify(encoded)))).toEqual(event);
  });

  it('refuses an unknown schema version or a group event', () => {
    expect(() => decodeGroupReferenceEvent({ ...encodeGroupReferenceEvent(groupReferenceReserved('r')), schemaVersion: 2 })).toThrow(
      'Cannot decode GroupReferenceReserved v2: this build knows v1.',
    );
    expect(() => decodeGroupReferenceEvent({ type: 'TransactionGroupRecorded', schemaVersion: 1, data: {} })).toThrow(/^Cannot decode/);
  });
});
