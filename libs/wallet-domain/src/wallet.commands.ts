import type { Metadata, OwnerRef, TransactionType } from './wallet.events';

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
  /** Set when the transaction is a leg of a group. */
  readonly groupId?: string | null;
}

/** `groupId` is given when the group settles its legs; a leg cannot be settled alone. */
export interface ConfirmTransaction extends Timed {
  readonly type: 'ConfirmTransaction';
  readonly walletId: string;
  readonly transactionId: string;
  readonly groupId?: string;
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
  | RecordTransaction
  | ConfirmTransaction
  | RejectTransaction
  | ExpireHold;
