import { decideWallet, evolveWallet, initialWalletState } from '@wallet/domain';
import { deciderSpec } from './decider-spec';

/** given(events).when(command).then(events) for the wallet decider. */
export const walletDeciderSpec = () => deciderSpec({ decide: decideWallet, evolve: evolveWallet, initialState: initialWalletState });
