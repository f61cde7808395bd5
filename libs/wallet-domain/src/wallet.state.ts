import { Map as ImmutableMap, Set as ImmutableSet } from 'immutable';
import type { BalanceTotals } from './wallet.balance';
import type { Metadata, OverdraftLimit, OwnerRef, TransactionType } from './wallet.events';

export interface Owner extends OwnerRef {
  readonly addedAt: string;
}

/**
 * A pending transaction, kept whole so that capturing or rejecting it can describe it.
 * `amountMinor` is what was authorised (after increases) = held + captured + released.
 */
export interface Hold {
  readonly transactionId: string;
  readonly transactionType: TransactionType;
  readonly amountMinor: bigint;
  readonly heldMinor: bigint;
  readonly capturedMinor: bigint;
  readonly releasedMinor: bigint;
  readonly description: string | null;
  readonly metadata: Metadata;
  readonly groupId: string | null;
  readonly reference: string | null;
  readonly createdAt: string;
  readonly expiresAt: string | null;
}

/**
 * What a decision needs of a transaction that is no longer pending: whether, and how far,
 * it may still be reversed. A reversal itself is recorded with `reversalOf` set.
 */
export interface SettledTransaction {
  readonly transactionType: TransactionType;
  readonly capturedMinor: bigint;
  readonly reversedMinor: bigint;
  readonly groupId: string | null;
  readonly reversalOf: string | null;
}

/**
 * A wallet folded from its events. Holds and settled transactions use persistent collections, so
 * each event costs O(log n) and an earlier state stays valid after a later one is derived.
 */
export interface WalletState {
  readonly exists: boolean;
  readonly walletId: string;
  readonly walletType: string;
  readonly currency: string;
  readonly owners: readonly Owner[];
  readonly metadata: Metadata;
  readonly overdraftLimit: OverdraftLimit;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Number of events folded: the stream's revision plus one. */
  readonly version: number;
  readonly ledgerMinor: bigint;
  readonly pendingDebitsMinor: bigint;
  readonly pendingCreditsMinor: bigint;
  readonly holds: ImmutableMap<string, Hold>;
  readonly settled: ImmutableMap<string, SettledTransaction>;
  /** Every reference the wallet's transactions carry, to the transaction that holds it. */
  readonly references: ImmutableMap<string, string>;
  /** Holds rejected because they expired: confirming one answers HOLD_EXPIRED, not "not pending". */
  readonly expiredTransactionIds: ImmutableSet<string>;
}

export const initialWalletState: WalletState = Object.freeze({
  exists: false,
  walletId: '',
  walletType: '',
  currency: '',
  owners: [],
  metadata: {},
  overdraftLimit: 0n,
  createdAt: '',
  updatedAt: '',
  version: 0,
  ledgerMinor: 0n,
  pendingDebitsMinor: 0n,
  pendingCreditsMinor: 0n,
  holds: ImmutableMap<string, Hold>(),
  settled: ImmutableMap<string, SettledTransaction>(),
  references: ImmutableMap<string, string>(),
  expiredTransactionIds: ImmutableSet<string>(),
});

export interface Balance {
  readonly ledgerMinor: bigint;
  readonly availableMinor: bigint;
  readonly pendingDebitsMinor: bigint;
  readonly pendingCreditsMinor: bigint;
}

/**
 * available = ledger - pending debits; a pending credit does not count until confirmed.
 * Takes any totals: a wallet state, a read-model row or a point-in-time fold.
 */
export function balanceOf(totals: BalanceTotals): Balance {
  return {
    ledgerMinor: totals.ledgerMinor,
    availableMinor: totals.ledgerMinor - totals.pendingDebitsMinor,
    pendingDebitsMinor: totals.pendingDebitsMinor,
    pendingCreditsMinor: totals.pendingCreditsMinor,
  };
}
