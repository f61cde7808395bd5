import { type BalanceTotals, type WalletEvent, applyToBalance, zeroBalance } from '@wallet/domain';

/** A currency's totals: its wallets, and the sums of their balances' totals. */
export interface CurrencyTotals extends BalanceTotals {
  readonly wallets: bigint;
}

export const zeroCurrencyTotals: CurrencyTotals = Object.freeze({ ...zeroBalance, wallets: 0n });

/**
 * A currency's totals after one event of one of its wallets. applyToBalance only adds signed
 * amounts, so it folds the sums over a currency's wallets as it folds one wallet's totals;
 * an opening adds a wallet.
 */
export function foldCurrencyTotals(totals: CurrencyTotals, event: WalletEvent): CurrencyTotals {
  const { ledgerMinor, pendingDebitsMinor, pendingCreditsMinor } = applyToBalance(totals, event);
  return { ledgerMinor, pendingDebitsMinor, pendingCreditsMinor, wallets: event.type === 'WalletOpened' ? totals.wallets + 1n : totals.wallets };
}
