import { recordedTransaction } from '@wallet/domain';
import { T1, credited, debited, held } from '@wallet/testing';
import { transactionRow } from './transaction-rows';

describe('transactionRow', () => {
  const recordings = [
    ['a credit', credited('tx-1', 10n)],
    ['a debit with a description, metadata and a group', debited('tx-2', 20n, { description: 'rent', metadata: { order: 7, paid: true }, groupId: 'g-1', recordedAt: T1.toISOString() })],
    ['a debit hold with an expiry', held('tx-3', 'debit', 30n, { expiresAt: T1.toISOString(), description: 'hotel' })],
    ['a credit hold', held('tx-4', 'credit', 40n, { metadata: { source: 'card' } })],
  ] as const;

  it.each(recordings)('is the domain’s recorded transaction for %s, with its positions and time', (_, event) => {
    expect(transactionRow(event, 42n)).toEqual({ ...recordedTransaction(event), position: 42n, createdPosition: 42n, updatedAt: event.data.recordedAt });
  });
});
