import type { CommandContext } from '../write-path/command-context';
import { toAddWalletOwnerCommand, toConfirmTransactionCommand, toOpenWalletCommand, toRecordTransactionCommand, toRejectTransactionCommand } from './wallet.mapper';

const context: CommandContext = { requestId: 'r-1' };
const walletId = '0190a5f0-0000-7000-8000-000000000001';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('wallet requests as commands', () => {
  it('opens a new wallet under an id of its own, with no owners and no metadata unless given', () => {
    const { domainCommand, context: carried } = toOpenWalletCommand({ type: 'personal', currency: 'EUR' }, context);
    expect(domainCommand).toEqual({ type: 'OpenWallet', walletId: expect.stringMatching(UUID), walletType: 'personal', currency: 'EUR', owners: [], metadata: {} });
    expect(carried).toBe(context);
    expect(toOpenWalletCommand({ type: 'personal', currency: 'EUR' }, context).domainCommand.walletId).not.toBe(domainCommand.walletId);
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
    });
    const hold = { type: 'debit' as const, amount: '5', description: 'd', metadata: { k: 1 }, pending: true, expiresAt: '2030-01-01T01:00:00+01:00' };
    expect(toRecordTransactionCommand(walletId, hold, context).domainCommand).toMatchObject({
      description: 'd',
      metadata: { k: 1 },
      pending: true,
      expiresAt: new Date('2030-01-01T00:00:00Z'),
    });
  });

  it('confirms, or rejects with the reason of the body (none for a bare POST)', () => {
    const transactionId = '0190a5f0-0000-7000-8000-000000000002';
    expect(toConfirmTransactionCommand(walletId, transactionId, context).domainCommand).toEqual({ type: 'ConfirmTransaction', walletId, transactionId });
    expect(toRejectTransactionCommand(walletId, transactionId, { reason: 'fraud' }, context).domainCommand).toEqual({ type: 'RejectTransaction', walletId, transactionId, reason: 'fraud' });
    expect(toRejectTransactionCommand(walletId, transactionId, undefined, context).domainCommand).toMatchObject({ reason: null });
  });
});
