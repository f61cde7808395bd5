import type { CommandContext } from '../write-path/command-context';
import { GROUP_LEGS_MAX } from '@wallet/domain';
import { toConfirmGroupCommand, toRecordGroupCommand, toRejectGroupCommand, toReverseGroupCommand, toTransferCommand } from './group.mapper';

const context: CommandContext = { requestId: 'r-1' };
const A = '0190A5F0-0000-7000-8000-00000000000A';
const B = '0190a5f0-0000-7000-8000-00000000000b';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('group requests as commands', () => {
  it('records a group: every leg and the group under ids of their own, wallet ids in lower case', () => {
    const body = { transactions: [{ walletId: A, type: 'debit' as const, amount: '7', description: 'rent' }, { walletId: B, type: 'credit' as const, amount: '7' }] };
    const { domainCommand, context: carried } = toRecordGroupCommand(body, context);
    expect(domainCommand).toEqual({
      type: 'RecordGroup',
      groupId: expect.stringMatching(UUID),
      legs: [
        { walletId: A.toLowerCase(), transactionId: expect.stringMatching(UUID), transactionType: 'debit', amountMinor: 7n, description: 'rent' },
        { walletId: B, transactionId: expect.stringMatching(UUID), transactionType: 'credit', amountMinor: 7n, description: null },
      ],
      pending: false,
      expiresAt: null,
      description: null,
      metadata: {},
      reference: null,
    });
    expect(new Set([domainCommand.groupId, ...domainCommand.legs.map((leg) => leg.transactionId)]).size).toBe(3);
    expect(carried).toBe(context);
  });

  it('records a pending group until its expiresAt', () => {
    const body = { pending: true, expiresAt: '2030-01-01T00:00:00Z', description: 'd', metadata: { k: 'v' }, reference: 'batch-1', transactions: [] };
    expect(toRecordGroupCommand(body, context).domainCommand).toMatchObject({ pending: true, expiresAt: new Date('2030-01-01T00:00:00Z'), description: 'd', metadata: { k: 'v' }, reference: 'batch-1' });
  });

  it('makes a transfer a two-leg group: a debit from one wallet, a credit to the other', () => {
    const { domainCommand } = toTransferCommand({ fromWalletId: A, toWalletId: B, amount: '12', description: 'rent', pending: true, reference: 'rent-2026-12' }, context);
    expect(domainCommand).toMatchObject({
      type: 'RecordGroup',
      legs: [
        { walletId: A.toLowerCase(), transactionType: 'debit', amountMinor: 12n, description: 'rent' },
        { walletId: B, transactionType: 'credit', amountMinor: 12n, description: 'rent' },
      ],
      pending: true,
      expiresAt: null,
      description: 'rent',
      metadata: {},
      reference: 'rent-2026-12',
    });
    expect(toTransferCommand({ fromWalletId: A, toWalletId: B, amount: '1' }, context).domainCommand.reference).toBeNull();
  });

  it('confirms, or rejects with the reason of the body (none for a bare POST)', () => {
    expect(toConfirmGroupCommand(B, context).domainCommand).toEqual({ type: 'ConfirmGroup', groupId: B });
    expect(toRejectGroupCommand(B, { reason: 'fraud' }, context).domainCommand).toEqual({ type: 'RejectGroup', groupId: B, reason: 'fraud' });
    expect(toRejectGroupCommand(B, undefined, context).domainCommand).toEqual({ type: 'RejectGroup', groupId: B, reason: null });
  });

  it('reverses a group as a new group, with a fresh id for as many legs as a group may have', () => {
    const { domainCommand } = toReverseGroupCommand(B, { reason: 'chargeback', reference: 'cb-1' }, context);
    expect(domainCommand).toEqual({
      type: 'ReverseGroup',
      groupId: B,
      reversalGroupId: expect.stringMatching(UUID),
      reversalTransactionIds: expect.arrayContaining([expect.stringMatching(UUID)]),
      reason: 'chargeback',
      reference: 'cb-1',
    });
    const ids = new Set([B, domainCommand.reversalGroupId, ...domainCommand.reversalTransactionIds]);
    expect(domainCommand.reversalTransactionIds).toHaveLength(GROUP_LEGS_MAX);
    expect(ids.size).toBe(GROUP_LEGS_MAX + 2);
    expect(toReverseGroupCommand(B, undefined, context).domainCommand).toMatchObject({ reason: null, reference: null });
  });
});
