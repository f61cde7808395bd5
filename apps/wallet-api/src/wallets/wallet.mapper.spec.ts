import type { CommandContext } from '../write-path/command-context';
import {
  toAddWalletOwnerCommand,
  toConfirmTransactionCommand,
  toIncreaseHoldCommand,
  toOpenWalletCommand,
  toRecordTransactionCommand,
  toRejectTransactionCommand,
  toReverseTransactionCommand,
  toSetOverdraftLimitCommand,
} from './wallet.mapper';

const context: CommandContext = { requestId: 'r-1' };
const walletId = '0190a5f0-0000-7000-8000-000000000001';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('wallet requests as commands', () => {
  it('opens a new wallet under an id of its own, with no owners and no metadata unless given', () => {
    const { domainCommand, context: carried } = toOpenWalletCommand({ type: 'personal', currency: 'EUR' }, context);
    expect(domainCommand).toEqual({ type: 'OpenWallet', walletId: expect.stringMatching(UUID), walletType: 'personal', currency: 'EUR', owners: [], metadata: {}, overdraftLimit: 0n });
    expect(carried).toBe(context);
    expect(toOpenWalletCommand({ type: 'personal', currency: 'EUR' }, context).domainCommand.walletId).not.toBe(domainCommand.walletId);
  });

  it('opens with the overdraft limit of the body: minor units as bigint, or "unlimited"', () => {
    expect(toOpenWalletCommand({ type: 'main', currency: 'USD', overdraftLimit: '9223372036854775807' }, context).domainCommand.overdraftLimit).toBe(9223372036854775807n);
    expect(toOpenWalletCommand({ type: 'system', currency: 'USD', overdraftLimit: 'unlimited' }, context).domainCommand.overdraftLimit).toBe('unlimited');
  });

  it('sets the overdraft limit of the body on the wallet of the path', () => {
    expect(toSetOverdraftLimitCommand(walletId, { overdraftLimit: '500' }, context).domainCommand).toEqual({ type: 'SetOverdraftLimit', walletId, overdraftLimit: 500n });
    expect(toSetOverdraftLimitCommand(walletId, { overdraftLimit: '0' }, context).domainCommand.overdraftLimit).toBe(0n);
    expect(toSetOverdraftLimitCommand(walletId, { overdraftLimit: 'unlimited' }, context).domainCommand.overdraftLimit).toBe('unlimited');
  });

  it('adds the owner of the body to the wallet of the path', () => {
    expect(toAddWalletOwnerCommand(walletId, { ownerType: 'user', ownerRef: 'u-1' }, context).domainCommand).toEqual({
      type: 'AddWalletOwner',
      walletId,
      ownerType: 'user',
      ownerRef: 'u-1',
    });
  });

  it('records a transaction: amounts as bigint, expiresAt as a Date, the optional fields at their defaults', () => {
    expect(toRecordTransactionCommand(walletId, { type: 'credit', amount: '9223372036854775807' }, context).domainCommand).toEqual({
      type: 'RecordTransaction',
      walletId,
      transactionId: expect.stringMatching(UUID),
      transactionType: 'credit',
      amountMinor: 9223372036854775807n,
      description: null,
      metadata: {},
      pending: false,
      expiresAt: null,
      reference: null,
    });
    const hold = { type: 'debit' as const, amount: '5', description: 'd', metadata: { k: 1 }, pending: true, expiresAt: '2030-01-01T01:00:00+01:00', reference: 'auth-1' };
    expect(toRecordTransactionCommand(walletId, hold, context).domainCommand).toMatchObject({
      description: 'd',
      metadata: { k: 1 },
      pending: true,
      expiresAt: new Date('2030-01-01T00:00:00Z'),
      reference: 'auth-1',
    });
  });

  const transactionId = '0190a5f0-0000-7000-8000-000000000002';

  it('confirms everything, finally, for a bare POST or an empty body', () => {
    const everything = { type: 'ConfirmTransaction', walletId, transactionId, amountMinor: null, final: true };
    expect(toConfirmTransactionCommand(walletId, transactionId, undefined, context).domainCommand).toEqual(everything);
    expect(toConfirmTransactionCommand(walletId, transactionId, {}, context).domainCommand).toEqual(everything);
  });

  it('captures the amount of the body, keeping the rest held when final is false', () => {
    expect(toConfirmTransactionCommand(walletId, transactionId, { amount: '30', final: false }, context).domainCommand).toEqual({
      type: 'ConfirmTransaction',
      walletId,
      transactionId,
      amountMinor: 30n,
      final: false,
    });
    expect(toConfirmTransactionCommand(walletId, transactionId, { amount: '30' }, context).domainCommand).toMatchObject({ amountMinor: 30n, final: true });
  });

  it('increases a hold by the amount of the body', () => {
    expect(toIncreaseHoldCommand(walletId, transactionId, { amount: '9223372036854775807' }, context).domainCommand).toEqual({
      type: 'IncreaseHold',
      walletId,
      transactionId,
      amountMinor: 9223372036854775807n,
    });
  });

  it('reverses under a new id of its own: all that is left for a bare POST, the reason as given', () => {
    const { domainCommand } = toReverseTransactionCommand(walletId, transactionId, undefined, context);
    expect(domainCommand).toEqual({
      type: 'ReverseTransaction',
      walletId,
      transactionId,
      reversalId: expect.stringMatching(UUID),
      amountMinor: null,
      reason: null,
      metadata: {},
      reference: null,
    });
    expect(domainCommand.reversalId).not.toBe(transactionId);
    const body = { amount: '25', reason: 'refund', metadata: { ticket: 'T-1' }, reference: 'refund-1' };
    expect(toReverseTransactionCommand(walletId, transactionId, body, context).domainCommand).toMatchObject({ amountMinor: 25n, reason: 'refund', metadata: { ticket: 'T-1' }, reference: 'refund-1' });
    expect(toReverseTransactionCommand(walletId, transactionId, {}, context).domainCommand.reversalId).not.toBe(domainCommand.reversalId);
  });

  it('rejects with the reason of the body (none for a bare POST)', () => {
    expect(toRejectTransactionCommand(walletId, transactionId, { reason: 'fraud' }, context).domainCommand).toEqual({ type: 'RejectTransaction', walletId, transactionId, reason: 'fraud' });
    expect(toRejectTransactionCommand(walletId, transactionId, undefined, context).domainCommand).toMatchObject({ reason: null });
  });
});
