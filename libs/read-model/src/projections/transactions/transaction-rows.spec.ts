import { changedTransaction, recordedTransaction, transactionChangeOf } from '@wallet/domain';
import { T1, T2, T3, captured, confirmed, credited, debited, held, increased, rejected, reversed } from '@wallet/testing';
import { addedDelta, changedRow, transactionRow } from './transaction-rows';

describe('transactionRow', () => {
  const recordings = [
    ['a credit', credited('tx-1', 10n)],
    ['a debit with a description, metadata and a group', debited('tx-2', 20n, { description: 'rent', metadata: { order: 7, paid: true }, groupId: 'g-1', recordedAt: T1.toISOString() })],
    ['a debit hold with an expiry', held('tx-3', 'debit', 30n, { expiresAt: T1.toISOString(), description: 'hotel' })],
    ['a credit hold', held('tx-4', 'credit', 40n, { metadata: { source: 'card' } })],
    ['a reversal', reversed('tx-5', 'tx-2', 'credit', 15n, { description: 'refund', groupId: 'g-2', recordedAt: T2.toISOString() })],
  ] as const;

  it.each(recordings)('is the domain’s recorded transaction for %s, with its positions and time', (_, event) => {
    expect(transactionRow(event, 42n)).toEqual({ ...recordedTransaction(event), position: 42n, createdPosition: 42n, updatedAt: event.data.recordedAt });
  });
});

describe('changedRow', () => {
  const hold = held('tx-1', 'debit', 100n, { recordedAt: T1.toISOString() });
  const changes = [
    ['an increase', increased('tx-1', 'debit', 20n, { increasedAt: T2.toISOString() })],
    ['a partial capture', captured('tx-1', 'debit', 30n, { capturedAt: T2.toISOString() })],
    ['a final capture', captured('tx-1', 'debit', 30n, { releasedMinor: 70n, final: true, capturedAt: T2.toISOString() })],
    ['a confirmation', confirmed('tx-1', 'debit', 100n, { confirmedAt: T2.toISOString() })],
    ['a rejection', rejected('tx-1', 'debit', 100n, { reason: 'fraud', rejectedAt: T2.toISOString() })],
  ] as const;

  it.each(changes)('is the domain’s changed transaction after %s, at the change’s position and time', (_, event) => {
    const change = transactionChangeOf(event)!;
    expect(changedRow(transactionRow(hold, 3n), change, 7n)).toEqual({ ...changedTransaction(recordedTransaction(hold), change), position: 7n, createdPosition: 3n, updatedAt: T2.toISOString() });
  });
});

describe('addedDelta', () => {
  it('adds up the changes to one transaction, keeps the end of the hold and takes the last position and time', () => {
    const events = [
      increased('tx-1', 'debit', 20n, { increasedAt: T1.toISOString() }),
      captured('tx-1', 'debit', 50n, { capturedAt: T2.toISOString() }),
      rejected('tx-1', 'debit', 70n, { reason: 'cancelled', rejectedAt: T3.toISOString() }),
      reversed('tx-9', 'tx-1', 'credit', 10n, { recordedAt: T3.toISOString() }),
    ];
    let delta = undefined;
    for (const [index, event] of events.entries()) delta = addedDelta(delta, transactionChangeOf(event)!, BigInt(index + 10));

    expect(delta).toEqual({
      transactionId: 'tx-1',
      amountMinor: 20n,
      heldMinor: 20n - 50n - 70n,
      capturedMinor: 50n,
      releasedMinor: 70n,
      reversedMinor: 10n,
      ended: { at: T3.toISOString(), rejectReason: 'cancelled' },
      position: 13n,
      updatedAt: T3.toISOString(),
    });
  });
});
