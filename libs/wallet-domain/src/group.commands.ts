import type { Metadata, OwnerRef, TransactionType } from './wallet.events';

export interface GroupLegRequest {
  readonly walletId: string;
  readonly transactionId: string;
  readonly transactionType: TransactionType;
  readonly amountMinor: bigint;
  readonly description: string | null;
}

export interface RecordGroup {
  readonly type: 'RecordGroup';
  readonly groupId: string;
  readonly legs: readonly GroupLegRequest[];
  readonly pending: boolean;
  readonly expiresAt: Date | null;
  readonly description: string | null;
  readonly metadata: Metadata;
  /** The caller's own id for the group: unique among all groups, forever. */
  readonly reference?: string | null;
  readonly now: Date;
  /** Set for an owner-scoped API key: every leg must be on a wallet this owner holds. */
  readonly actingFor?: OwnerRef;
}

export interface ConfirmGroup {
  readonly type: 'ConfirmGroup';
  readonly groupId: string;
  readonly now: Date;
  readonly actingFor?: OwnerRef;
}

export interface RejectGroup {
  readonly type: 'RejectGroup';
  readonly groupId: string;
  readonly reason: string | null;
  readonly now: Date;
  readonly actingFor?: OwnerRef;
}

/** Rejects a pending group whose expiresAt has passed, with reason "expired". */
export interface ExpireGroup {
  readonly type: 'ExpireGroup';
  readonly groupId: string;
  readonly now: Date;
}

/**
 * Records `reversalGroupId`, a completed group whose legs reverse every leg of the completed
 * group `groupId` in full, on every wallet at once; a group is reversed once.
 */
export interface ReverseGroup {
  readonly type: 'ReverseGroup';
  readonly groupId: string;
  readonly reversalGroupId: string;
  /** One new transaction id a leg, in the order of the original's legs. */
  readonly reversalTransactionIds: readonly string[];
  readonly reason: string | null;
  /** The reversal group's own reference. */
  readonly reference?: string | null;
  readonly now: Date;
  readonly actingFor?: OwnerRef;
}

export type GroupCommand = RecordGroup | ConfirmGroup | RejectGroup | ExpireGroup | ReverseGroup;

/** Legs a group may have. */
export const GROUP_LEGS_MIN = 2;
export const GROUP_LEGS_MAX = 100;

/** The reason every automatic rejection of an expired hold or group carries. */
export const EXPIRED_REASON = 'expired';
