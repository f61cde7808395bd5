import { DomainError } from './domain-error';
import type { OwnerRef } from './wallet.events';
import type { WalletState } from './wallet.state';

/**
 * True when a command acting for `owner` may see this wallet: it exists and the owner holds
 * it. Without an owner (a key not bound to one) every existing wallet is visible. A wallet
 * the owner does not hold is refused exactly like one that does not exist.
 */
export function isVisibleTo(state: WalletState | undefined, owner: OwnerRef | undefined): state is WalletState {
  if (!state?.exists) return false;
  return owner === undefined || state.owners.some((held) => held.ownerType === owner.ownerType && held.ownerRef === owner.ownerRef);
}

/**
 * An owner acting for itself may move money it holds but never create it: a credit out of
 * nothing comes from a caller not bound to an owner (the platform, after a payment). A group
 * is allowed when its credits do not exceed its debits.
 */
export function assertCreatesNoMoney(owner: OwnerRef | undefined, creditsMinor: bigint, debitsMinor: bigint): void {
  if (owner === undefined || creditsMinor <= debitsMinor) return;
  throw new DomainError('FORBIDDEN', 'A key bound to an owner cannot create money: credits beyond the debits they are paired with come from a key not bound to an owner.');
}
