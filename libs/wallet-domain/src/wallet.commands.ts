import type { Metadata, OverdraftLimit, OwnerRef, TransactionType } from './wallet.events';

/**
 * Every command carries the moment it is decided at (the domain never reads a clock) and,
 * when it comes through an owner-scoped API key, the owner it acts for.
 */
interface Timed {
  readonly now: Date;
  readonly actingFor?: OwnerRef;
}

export interface OpenWallet extends Timed {
  readonly type: 'OpenWallet';
  readonly walletId: string;
  readonly walletType: string;
  readonly currency: string;
  readonly owners: readonly OwnerRef[];
  readonly metadata: Metadata;
  /** 0 when absent. */
  readonly overdraftLimit?: OverdraftLimit;
}

/** Sets how far the wallet's `available` may drop below 0 from now on. */
export interface SetOverdraftLimit extends Timed {
  readonly type: 'SetOverdraftLimit';
  readonly walletId: string;
  readonly overdraftLimit: OverdraftLimit;
}

export interface AddWalletOwner extends Timed, OwnerRef {
  readonly type: 'AddWalletOwner';
  readonly walletId: string;
}

export interface RecordTransaction extends Timed {
  readonly type: 'RecordTransaction';
  readonly walletId: string;
  readonly transactionId: string;
  readonly transactionType: TransactionType;
  readonly amountMinor: bigint;
  readonly description: string | null;
  readonly metadata: Metadata;
  readonly pending: boolean;
  readonly expiresAt: Date | null;
  /** The caller's own id for the transaction: unique in the wallet, forever. */
  readonly reference?: string | null;
  /** Set when the transaction is a leg of a group. */
  readonly groupId?: string | null;
}

/**
 * Captures `amountMinor` of what a hold holds (all of it when absent). `final` (the default)
 * ends the hold and releases the rest; `final: false` keeps the rest held for later captures.
 * `groupId` is given when the group settles its legs; a leg cannot be settled alone.
 */
export interface ConfirmTransaction extends Timed {
  readonly type: 'ConfirmTransaction';
  readonly walletId: string;
  readonly transactionId: string;
  readonly amountMinor?: bigint | null;
  readonly final?: boolean;
  readonly groupId?: string;
}

/** Raises what a pending transaction holds by `amountMinor` (an incremental authorisation). */
export interface IncreaseHold extends Timed {
  readonly type: 'IncreaseHold';
  readonly walletId: string;
  readonly transactionId: string;
  readonly amountMinor: bigint;
}

/**
 * Records `reversalId`, a confirmed transaction of the opposite type that gives back
 * `amountMinor` (all that is left to reverse when absent) of the confirmed `transactionId`.
 * `groupId` is given when a group reverses its legs: the reversal group's id.
 */
export interface ReverseTransaction extends Timed {
  readonly type: 'ReverseTransaction';
  readonly walletId: string;
  readonly transactionId: string;
  readonly reversalId: string;
  readonly amountMinor: bigint | null;
  readonly reason: string | null;
  readonly metadata: Metadata;
  readonly reference?: string | null;
  readonly groupId?: string;
  /** The group whose leg `transactionId` is; a leg is reversed only through its group. */
  readonly viaGroup?: string;
}

export interface RejectTransaction extends Timed {
  readonly type: 'RejectTransaction';
  readonly walletId: string;
  readonly transactionId: string;
  readonly reason: string | null;
  readonly groupId?: string;
}

/** Rejects a hold whose expiresAt has passed, with reason "expired". */
export interface ExpireHold extends Timed {
  readonly type: 'ExpireHold';
  readonly walletId: string;
  readonly transactionId: string;
  readonly groupId?: string;
}

export type WalletCommand =
  | OpenWallet
  | AddWalletOwner
  | SetOverdraftLimit
  | RecordTransaction
  | ConfirmTransaction
  | IncreaseHold
  | RejectTransaction
  | ExpireHold
  | ReverseTransaction;
