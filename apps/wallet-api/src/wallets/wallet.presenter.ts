import { type Balance, type BalanceTotals, type Metadata, type TransactionSnapshot, type WalletState, balanceOf } from '@wallet/domain';

/** Wire shapes of the API: money and positions as strings, never JSON numbers. */
export interface BalanceView {
  ledger: string;
  available: string;
  pendingDebits: string;
  pendingCredits: string;
}

export interface WalletView {
  id: string;
  type: string;
  currency: string;
  owners: { ownerType: string; ownerRef: string; createdAt: string }[];
  metadata: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  version: number;
  balance: BalanceView;
}

export interface TransactionView {
  id: string;
  walletId: string;
  type: 'credit' | 'debit';
  amount: string;
  status: TransactionSnapshot['status'];
  description: string | null;
  metadata: Record<string, unknown>;
  groupId: string | null;
  holdTimestamp: string | null;
  confirmRejectTimestamp: string | null;
  rejectReason: string | null;
  expiresAt: string | null;
  position: string;
  createdAt: string;
  archived: boolean;
}

export interface TransactionResultView {
  transaction: TransactionView;
  balance: BalanceView;
  position: string;
}

export function toBalanceView(balance: Balance): BalanceView {
  return {
    ledger: balance.ledgerMinor.toString(),
    available: balance.availableMinor.toString(),
    pendingDebits: balance.pendingDebitsMinor.toString(),
    pendingCredits: balance.pendingCreditsMinor.toString(),
  };
}

/** What a wallet view is made of, from a folded state or from the read model. */
export interface WalletSource {
  readonly id: string;
  readonly type: string;
  readonly currency: string;
  readonly owners: readonly { readonly ownerType: string; readonly ownerRef: string; readonly createdAt: string }[];
  readonly metadata: Metadata;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
  readonly balance: BalanceTotals;
}

export function toWalletView(state: WalletState): WalletView {
  return presentWallet({
    id: state.walletId,
    type: state.walletType,
    currency: state.currency,
    owners: state.owners.map(({ ownerType, ownerRef, addedAt }) => ({ ownerType, ownerRef, createdAt: addedAt })),
    metadata: state.metadata,
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    version: state.version,
    balance: state,
  });
}

/** The Wallet of API.md, the same for command answers and queries. */
export function presentWallet(wallet: WalletSource): WalletView {
  return {
    id: wallet.id,
    type: wallet.type,
    currency: wallet.currency,
    owners: wallet.owners.map(({ ownerType, ownerRef, createdAt }) => ({ ownerType, ownerRef, createdAt })),
    metadata: { ...wallet.metadata },
    createdAt: wallet.createdAt,
    updatedAt: wallet.updatedAt,
    version: wallet.version,
    balance: toBalanceView(balanceOf(wallet.balance)),
  };
}

/** The Transaction of API.md; `archived` for one read from the archive table. */
export function toTransactionView(transaction: TransactionSnapshot, position: bigint, archived = false): TransactionView {
  return {
    id: transaction.transactionId,
    walletId: transaction.walletId,
    type: transaction.transactionType,
    amount: transaction.amountMinor.toString(),
    status: transaction.status,
    description: transaction.description,
    metadata: { ...transaction.metadata },
    groupId: transaction.groupId,
    holdTimestamp: transaction.holdTimestamp,
    confirmRejectTimestamp: transaction.confirmRejectTimestamp,
    rejectReason: transaction.rejectReason,
    expiresAt: transaction.expiresAt,
    position: position.toString(),
    createdAt: transaction.createdAt,
    archived,
  };
}
