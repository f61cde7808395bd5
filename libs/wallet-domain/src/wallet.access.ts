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
