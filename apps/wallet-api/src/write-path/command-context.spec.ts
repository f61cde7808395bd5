import type { Caller } from '@wallet/access';
import type { WalletCommand } from '@wallet/domain';
import { stamp } from './command-context';

const now = new Date('2030-01-01T00:00:00Z');
const command = { type: 'ConfirmTransaction' as const, walletId: 'w-1', transactionId: 't-1' };

describe('stamp', () => {
  it('dates the command, acting for nobody when the key has no owner', () => {
    expect(stamp<WalletCommand>(command, now, { requestId: 'r-1' })).toEqual({ ...command, now });
    expect(stamp<WalletCommand>(command, now, { requestId: 'r-1', caller: { keyId: 'k-1' } as Caller })).not.toHaveProperty('actingFor');
  });

  it("binds the command to the owner of the caller's key", () => {
    const owner = { ownerType: 'user', ownerRef: 'u-1' };
    expect(stamp<WalletCommand>(command, now, { requestId: 'r-1', caller: { keyId: 'k-1', owner } as Caller })).toEqual({ ...command, now, actingFor: owner });
  });
});
