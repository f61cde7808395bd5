import { assertNever } from './domain-error';

/** Flat JSON object attached to wallets and transactions by clients. */
export type Metadata = Readonly<Record<string, string | number | boolean | null>>;

export type TransactionType = 'credit' | 'debit';

/**
 * How far `available` may drop below 0, in minor units, or no bound at all for a system
 * wallet (a funding, settlement or fee wallet of the platform).
 */
export type OverdraftLimit = bigint | 'unlimited';

export interface OwnerRef {
  readonly ownerType: string;
  readonly ownerRef: string;
}

export interface WalletOpened {
  readonly type: 'WalletOpened';
  readonly data: {
    readonly walletId: string;
    readonly walletType: string;
    readonly currency: string;
    readonly owners: readonly OwnerRef[];
    readonly metadata: Metadata;
    readonly openedAt: string;
    /** Absent when 0, as in every event written before limits existed. */
    readonly overdraftLimit?: OverdraftLimit;
  };
}

/** The wallet's overdraft limit from now on. */
export interface OverdraftLimitSet {
  readonly type: 'OverdraftLimitSet';
  readonly data: { readonly walletId: string; readonly overdraftLimit: OverdraftLimit; readonly setAt: string };
}

export interface WalletOwnerAdded {
  readonly type: 'WalletOwnerAdded';
  readonly data: OwnerRef & { readonly walletId: string; readonly addedAt: string };
}

/** Fields every newly recorded transaction carries. */
export interface TransactionRecordedData {
  readonly walletId: string;
  readonly transactionId: string;
  readonly amountMinor: bigint;
  readonly description: string | null;
  readonly metadata: Metadata;
  readonly groupId: string | null;
  readonly recordedAt: string;
  /** The caller's own id for the transaction, unique in the wallet forever; absent when none. */
  readonly reference?: string;
}

/** A confirmed credit: the ledger balance rises at once. */
export interface FundsCredited {
  readonly type: 'FundsCredited';
  readonly data: TransactionRecordedData;
}

/** A confirmed debit: the ledger balance falls at once. */
export interface FundsDebited {
  readonly type: 'FundsDebited';
  readonly data: TransactionRecordedData;
}

/** A pending transaction: a debit hold reserves funds, a credit hold does not count yet. */
export interface HoldPlaced {
  readonly type: 'HoldPlaced';
  readonly data: TransactionRecordedData & {
    readonly transactionType: TransactionType;
    readonly expiresAt: string | null;
  };
}

/** Fields of the events that settle a hold; amount and type are repeated so readers need no join. */
export interface HoldSettledData {
  readonly walletId: string;
  readonly transactionId: string;
  readonly transactionType: TransactionType;
  readonly amountMinor: bigint;
}

/** Captures `amountMinor`, everything the hold still held, and ends it. */
export interface HoldConfirmed {
  readonly type: 'HoldConfirmed';
  readonly data: HoldSettledData & { readonly confirmedAt: string };
}

/** Releases `amountMinor`, everything the hold still held, and ends it. */
export interface HoldRejected {
  readonly type: 'HoldRejected';
  readonly data: HoldSettledData & { readonly reason: string | null; readonly rejectedAt: string };
}

/**
 * Captures `amountMinor`, part of what the hold holds. With `final` the hold ends and
 * `releasedMinor`, the rest, is released in the same event; without it the rest stays held.
 */
export interface HoldCaptured {
  readonly type: 'HoldCaptured';
  readonly data: HoldSettledData & { readonly releasedMinor: bigint; readonly final: boolean; readonly capturedAt: string };
}

/** Raises what a hold holds (and its authorised amount) by `amountMinor`. */
export interface HoldIncreased {
  readonly type: 'HoldIncreased';
  readonly data: HoldSettledData & { readonly increasedAt: string };
}

/**
 * A new confirmed transaction of `transactionType` (the opposite of the original's) that
 * gives back `amountMinor` of the transaction `reversalOf`, which it counts against that
 * transaction's captured amount.
 */
export interface TransactionReversed {
  readonly type: 'TransactionReversed';
  readonly data: TransactionRecordedData & { readonly transactionType: TransactionType; readonly reversalOf: string };
}

export type WalletEvent =
  | WalletOpened
  | WalletOwnerAdded
  | OverdraftLimitSet
  | FundsCredited
  | FundsDebited
  | HoldPlaced
  | HoldConfirmed
  | HoldRejected
  | HoldCaptured
  | HoldIncreased
  | TransactionReversed;

export type WalletEventType = WalletEvent['type'];

/** When the event happened, by the clock of the command that decided it. */
export function occurredAt(event: WalletEvent): string {
  switch (event.type) {
    case 'WalletOpened':
      return event.data.openedAt;
    case 'WalletOwnerAdded':
      return event.data.addedAt;
    case 'OverdraftLimitSet':
      return event.data.setAt;
    case 'FundsCredited':
    case 'FundsDebited':
    case 'HoldPlaced':
    case 'TransactionReversed':
      return event.data.recordedAt;
    case 'HoldConfirmed':
      return event.data.confirmedAt;
    case 'HoldRejected':
      return event.data.rejectedAt;
    case 'HoldCaptured':
      return event.data.capturedAt;
    case 'HoldIncreased':
      return event.data.increasedAt;
    default:
      return assertNever(event);
  }
}
