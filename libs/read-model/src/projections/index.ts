import type { Projection } from '../projector/projection';
import { balancesProjection } from './balances/balances.projection';
import { currencyTotalsProjection } from './currency-totals/currency-totals.projection';
import { snapshotsProjection } from './snapshots/snapshots.projection';
import { transactionGroupsProjection } from './transaction-groups/transaction-groups.projection';
import { transactionsProjection } from './transactions/transactions.projection';
import { walletOwnersProjection } from './wallet-owners/wallet-owners.projection';
import { walletsProjection } from './wallets/wallets.projection';

export interface ReadModelSettings {
  /** A ledger-entry snapshot after this many events of a wallet (and at least daily). */
  readonly snapshotEvery: number;
}

/**
 * The read models the projector writes, in the order it folds each event through them:
 * snapshots and totals read the balances as the balances projection leaves them, so they come after it.
 */
export function readModelProjections(settings: ReadModelSettings): readonly Projection[] {
  return [
    walletsProjection,
    walletOwnersProjection,
    balancesProjection,
    snapshotsProjection(settings.snapshotEvery),
    currencyTotalsProjection,
    transactionsProjection,
    transactionGroupsProjection,
  ];
}
