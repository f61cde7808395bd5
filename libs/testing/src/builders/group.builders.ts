import type {
  ConfirmGroup,
  GroupReferenceReserved,
  ExpireGroup,
  GroupLeg,
  RecordGroup,
  RejectGroup,
  ReverseGroup,
  TransactionGroupConfirmed,
  TransactionGroupRecorded,
  TransactionGroupRejected,
  TransactionGroupReversed,
  TransactionType,
} from '@wallet/domain';
import { T0, T1 } from './wallet.builders';

/**
 * Builders for group events and commands in specs, on the same fixed clock as the wallet
 * builders: events default to T0, commands are decided at T1. A leg names its wallet and
 * transaction; everything else has a default a spec can override.
 */

export const groupId = 'group-1';

/** A leg of a group: `amountMinor` of `transactionType` on `walletId`, as transaction `transactionId`. */
export const leg = (walletId: string, transactionId: string, transactionType: TransactionType, amountMinor: bigint, description: string | null = null): GroupLeg => ({
  walletId,
  transactionId,
  transactionType,
  amountMinor,
  description,
});

// Events

export const groupRecorded = (legs: readonly GroupLeg[], overrides: Partial<TransactionGroupRecorded['data']> = {}): TransactionGroupRecorded => ({
  type: 'TransactionGroupRecorded',
  data: {
    groupId,
    currency: 'USD',
    pending: false,
    description: null,
    metadata: {},
    expiresAt: null,
    legs,
    recordedAt: T0.toISOString(),
    ...overrides,
  },
});

export const groupConfirmed = (overrides: Partial<TransactionGroupConfirmed['data']> = {}): TransactionGroupConfirmed => ({
  type: 'TransactionGroupConfirmed',
  data: { groupId, confirmedAt: T0.toISOString(), ...overrides },
});

export const groupRejected = (reason: string | null, overrides: Partial<TransactionGroupRejected['data']> = {}): TransactionGroupRejected => ({
  type: 'TransactionGroupRejected',
  data: { groupId, reason, rejectedAt: T0.toISOString(), ...overrides },
});

export const groupReversed = (reversedBy: string, overrides: Partial<TransactionGroupReversed['data']> = {}): TransactionGroupReversed => ({
  type: 'TransactionGroupReversed',
  data: { groupId, reversedBy, reason: null, reversedAt: T0.toISOString(), ...overrides },
});

/** The reservation of `reference` for `group-1`, at T1 (when commands are decided), unless overridden. */
export const groupReferenceReserved = (reference: string, overrides: Partial<GroupReferenceReserved['data']> = {}): GroupReferenceReserved => ({
  type: 'GroupReferenceReserved',
  data: { reference, groupId, reservedAt: T1.toISOString(), ...overrides },
});

// Commands

/** A confirmed (not pending) group of the given legs, decided at T1, unless overridden. */
export const recordGroup = (legs: readonly GroupLeg[], overrides: Partial<RecordGroup> = {}): RecordGroup => ({
  type: 'RecordGroup',
  groupId,
  legs,
  pending: false,
  expiresAt: null,
  description: null,
  metadata: {},
  now: T1,
  ...overrides,
});

export const confirmGroup = (overrides: Partial<ConfirmGroup> = {}): ConfirmGroup => ({ type: 'ConfirmGroup', groupId, now: T1, ...overrides });

export const rejectGroup = (reason: string | null, overrides: Partial<RejectGroup> = {}): RejectGroup => ({ type: 'RejectGroup', groupId, reason, now: T1, ...overrides });

export const expireGroup = (overrides: Partial<ExpireGroup> = {}): ExpireGroup => ({ type: 'ExpireGroup', groupId, now: T1, ...overrides });

/** Reverses group-1 as group-1-reversal, its new legs rev-0, rev-1, ..., unless overridden. */
export const reverseGroup = (overrides: Partial<ReverseGroup> = {}): ReverseGroup => ({
  type: 'ReverseGroup',
  groupId,
  reversalGroupId: `${groupId}-reversal`,
  reversalTransactionIds: Array.from({ length: 100 }, (_, i) => `rev-${i}`),
  reason: null,
  now: T1,
  ...overrides,
});
