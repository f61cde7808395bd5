import type { Metadata, TransactionType } from './wallet.events';

/** One transaction of a group, on one wallet. */
export interface GroupLeg {
  readonly walletId: string;
  readonly transactionId: string;
  readonly transactionType: TransactionType;
  readonly amountMinor: bigint;
  readonly description: string | null;
}

/** Legs recorded on every wallet at once: confirmed (completed) or all pending. */
export interface TransactionGroupRecorded {
  readonly type: 'TransactionGroupRecorded';
  readonly data: {
    readonly groupId: string;
    readonly currency: string;
    readonly pending: boolean;
    readonly description: string | null;
    readonly metadata: Metadata;
    readonly expiresAt: string | null;
    readonly legs: readonly GroupLeg[];
    readonly recordedAt: string;
    /** Set when the group reverses another in full; absent otherwise (and in older events). */
    readonly reversalOf?: string;
    /** The caller's own id for the group, unique among all groups forever; absent when none. */
    readonly reference?: string;
  };
}

export interface TransactionGroupConfirmed {
  readonly type: 'TransactionGroupConfirmed';
  readonly data: { readonly groupId: string; readonly confirmedAt: string };
}

export interface TransactionGroupRejected {
  readonly type: 'TransactionGroupRejected';
  readonly data: { readonly groupId: string; readonly reason: string | null; readonly rejectedAt: string };
}

/** A completed group was reversed in full by the group `reversedBy`, recorded with it. */
export interface TransactionGroupReversed {
  readonly type: 'TransactionGroupReversed';
  readonly data: { readonly groupId: string; readonly reversedBy: string; readonly reason: string | null; readonly reversedAt: string };
}

export type GroupEvent = TransactionGroupRecorded | TransactionGroupConfirmed | TransactionGroupRejected | TransactionGroupReversed;

export type GroupEventType = GroupEvent['type'];
