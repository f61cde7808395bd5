import type {
  AddWalletOwner,
  ConfirmTransaction,
  ExpireHold,
  FundsCredited,
  FundsDebited,
  HoldCaptured,
  HoldConfirmed,
  HoldIncreased,
  HoldPlaced,
  HoldRejected,
  IncreaseHold,
  OpenWallet,
  OverdraftLimit,
  OverdraftLimitSet,
  OwnerRef,
  RecordTransaction,
  RejectTransaction,
  ReverseTransaction,
  SetOverdraftLimit,
  TransactionRecordedData,
  TransactionReversed,
  TransactionType,
  WalletOpened,
  WalletOwnerAdded,
} from '@wallet/domain';

/**
 * Builders for wallet events and commands in specs. Everything concerns one wallet on a
 * fixed clock: events default to T0, commands other than OpenWallet are decided at T1.
 * Each builder takes the fields a spec cares about and optional overrides for the rest.
 */

export const walletId = 'wallet-1';
export const T0 = new Date('2025-01-01T00:00:00.000Z');
export const T1 = new Date('2025-01-01T01:00:00.000Z');
export const T2 = new Date('2025-01-01T02:00:00.000Z');
export const T3 = new Date('2025-01-01T03:00:00.000Z');

/** `date` moved by `delta` milliseconds. */
export const ms = (date: Date, delta: number): Date => new Date(date.getTime() + delta);

/** `n` distinct user owners: u-0, u-1, ... */
export const ownersN = (n: number): OwnerRef[] => Array.from({ length: n }, (_, i) => ({ ownerType: 'user', ownerRef: `u-${i}` }));

const soleOwner = (): OwnerRef[] => [{ ownerType: 'user', ownerRef: 'u-1' }];

// Events

export const opened = (overrides: Partial<WalletOpened['data']> = {}): WalletOpened => ({
  type: 'WalletOpened',
  data: {
    walletId,
    walletType: 'personal',
    currency: 'USD',
    owners: soleOwner(),
    metadata: {},
    openedAt: T0.toISOString(),
    ...overrides,
  },
});

export const ownerAdded = (ownerRef: string, overrides: Partial<WalletOwnerAdded['data']> = {}): WalletOwnerAdded => ({
  type: 'WalletOwnerAdded',
  data: { walletId, ownerType: 'user', ownerRef, addedAt: T0.toISOString(), ...overrides },
});

export const limitSet = (overdraftLimit: OverdraftLimit, overrides: Partial<OverdraftLimitSet['data']> = {}): OverdraftLimitSet => ({
  type: 'OverdraftLimitSet',
  data: { walletId, overdraftLimit, setAt: T0.toISOString(), ...overrides },
});

const recordedData = (
  transactionId: string,
  amountMinor: bigint,
  overrides: Partial<TransactionRecordedData>,
): TransactionRecordedData => ({
  walletId,
  transactionId,
  amountMinor,
  description: null,
  metadata: {},
  groupId: null,
  recordedAt: T0.toISOString(),
  ...overrides,
});

export const credited = (
  transactionId: string,
  amountMinor: bigint,
  overrides: Partial<TransactionRecordedData> = {},
): FundsCredited => ({ type: 'FundsCredited', data: recordedData(transactionId, amountMinor, overrides) });

export const debited = (
  transactionId: string,
  amountMinor: bigint,
  overrides: Partial<TransactionRecordedData> = {},
): FundsDebited => ({ type: 'FundsDebited', data: recordedData(transactionId, amountMinor, overrides) });

export const held = (
  transactionId: string,
  transactionType: TransactionType,
  amountMinor: bigint,
  overrides: Partial<HoldPlaced['data']> = {},
): HoldPlaced => ({
  type: 'HoldPlaced',
  data: { ...recordedData(transactionId, amountMinor, {}), transactionType, expiresAt: null, ...overrides },
});

export const confirmed = (
  transactionId: string,
  transactionType: TransactionType,
  amountMinor: bigint,
  overrides: Partial<HoldConfirmed['data']> = {},
): HoldConfirmed => ({
  type: 'HoldConfirmed',
  data: { walletId, transactionId, transactionType, amountMinor, confirmedAt: T0.toISOString(), ...overrides },
});

export const rejected = (
  transactionId: string,
  transactionType: TransactionType,
  amountMinor: bigint,
  overrides: Partial<HoldRejected['data']> = {},
): HoldRejected => ({
  type: 'HoldRejected',
  data: { walletId, transactionId, transactionType, amountMinor, reason: null, rejectedAt: T0.toISOString(), ...overrides },
});

/** A partial capture of `amountMinor`; final when `releasedMinor` (the rest, released) is given. */
export const captured = (
  transactionId: string,
  transactionType: TransactionType,
  amountMinor: bigint,
  overrides: Partial<HoldCaptured['data']> = {},
): HoldCaptured => ({
  type: 'HoldCaptured',
  data: { walletId, transactionId, transactionType, amountMinor, releasedMinor: 0n, final: false, capturedAt: T0.toISOString(), ...overrides },
});

export const increased = (
  transactionId: string,
  transactionType: TransactionType,
  amountMinor: bigint,
  overrides: Partial<HoldIncreased['data']> = {},
): HoldIncreased => ({
  type: 'HoldIncreased',
  data: { walletId, transactionId, transactionType, amountMinor, increasedAt: T0.toISOString(), ...overrides },
});

/** `reversalId`, of `transactionType` (the opposite of the original's), gives back `amountMinor` of `reversalOf`. */
export const reversed = (
  reversalId: string,
  reversalOf: string,
  transactionType: TransactionType,
  amountMinor: bigint,
  overrides: Partial<TransactionReversed['data']> = {},
): TransactionReversed => ({
  type: 'TransactionReversed',
  data: { ...recordedData(reversalId, amountMinor, {}), transactionType, reversalOf, ...overrides },
});

// Commands

export const openWallet = (overrides: Partial<OpenWallet> = {}): OpenWallet => ({
  type: 'OpenWallet',
  walletId,
  walletType: 'personal',
  currency: 'USD',
  owners: soleOwner(),
  metadata: {},
  now: T0,
  ...overrides,
});

export const addWalletOwner = (ownerRef: string, overrides: Partial<AddWalletOwner> = {}): AddWalletOwner => ({
  type: 'AddWalletOwner',
  walletId,
  ownerType: 'user',
  ownerRef,
  now: T1,
  ...overrides,
});

export const setOverdraftLimit = (overdraftLimit: OverdraftLimit, overrides: Partial<SetOverdraftLimit> = {}): SetOverdraftLimit => ({
  type: 'SetOverdraftLimit',
  walletId,
  overdraftLimit,
  now: T1,
  ...overrides,
});

/** A confirmed credit of 1 as transaction tx-new, unless overridden. */
export const record = (overrides: Partial<RecordTransaction> = {}): RecordTransaction => ({
  type: 'RecordTransaction',
  walletId,
  transactionId: 'tx-new',
  transactionType: 'credit',
  amountMinor: 1n,
  description: null,
  metadata: {},
  pending: false,
  expiresAt: null,
  now: T1,
  ...overrides,
});

export const credit = (amountMinor: bigint, overrides: Partial<RecordTransaction> = {}): RecordTransaction =>
  record({ transactionType: 'credit', amountMinor, ...overrides });

export const debit = (amountMinor: bigint, overrides: Partial<RecordTransaction> = {}): RecordTransaction =>
  record({ transactionType: 'debit', amountMinor, ...overrides });

export const confirm = (transactionId: string, overrides: Partial<ConfirmTransaction> = {}): ConfirmTransaction => ({
  type: 'ConfirmTransaction',
  walletId,
  transactionId,
  now: T1,
  ...overrides,
});

export const reject = (transactionId: string, overrides: Partial<RejectTransaction> = {}): RejectTransaction => ({
  type: 'RejectTransaction',
  walletId,
  transactionId,
  reason: null,
  now: T1,
  ...overrides,
});

/** Expires `transactionId`, decided at T1 unless overridden. */
export const expire = (transactionId: string, overrides: Partial<ExpireHold> = {}): ExpireHold => ({
  type: 'ExpireHold',
  walletId,
  transactionId,
  now: T1,
  ...overrides,
});

export const increase = (transactionId: string, amountMinor: bigint, overrides: Partial<IncreaseHold> = {}): IncreaseHold => ({
  type: 'IncreaseHold',
  walletId,
  transactionId,
  amountMinor,
  now: T1,
  ...overrides,
});

/** Reverses all that is left of `transactionId` as transaction `rev-1`, unless overridden. */
export const reverse = (transactionId: string, overrides: Partial<ReverseTransaction> = {}): ReverseTransaction => ({
  type: 'ReverseTransaction',
  walletId,
  transactionId,
  reversalId: 'rev-1',
  amountMinor: null,
  reason: null,
  metadata: {},
  now: T1,
  ...overrides,
});
