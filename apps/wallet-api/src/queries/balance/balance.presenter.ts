import { type BalanceTotals, balanceOf } from '@wallet/domain';
import { type BalanceView, toBalanceView } from '../../wallets/wallet.presenter';

/** A balance as of a moment: `position` of the last event it includes, `at` the moment's time. */
export interface BalanceAtView extends BalanceView {
  position: string;
  at: string;
}

export function presentBalanceAt(totals: BalanceTotals, position: bigint, at: string): BalanceAtView {
  return { ...toBalanceView(balanceOf(totals)), position: position.toString(), at };
}
