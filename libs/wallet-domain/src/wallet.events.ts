import { assertNever } from './domain-error';

/** Flat JSON object attached to wallets and transactions by clients. */
export type Metadata = Readonly<Record<string, string | number | boolean | null>>;

export type TransactionType = 'credit' | 'debit';

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
  };
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

export interface HoldConfirmed {
  readonly type: 'HoldConfirmed';
  readonly data: HoldSettledData & { readonly confirmedAt: string };
}

export interface HoldRejected {
  readonly type: 'HoldRejected';
  readonly data: HoldSettledData & { readonly reason: string | null; readonly rejectedAt: string };
}

export type WalletEvent =
  | WalletOpened
  | WalletOwnerAdded
  | FundsCredited
  | FundsDebited
  | HoldPlaced
  | HoldConfirmed
  | HoldRejected;

export type WalletEventType = WalletEvent['type'];

/** When the event happened, by the clock of the command that decided it. */
export function occurredAt(event: WalletEvent): string {
  switch (event.type) {
    case 'WalletOpened':
      return event.data.openedAt;
    case 'WalletOwnerAdded':
      return event.data.addedAt;
    case 'FundsCredited':
    case 'FundsDebited':
    case 'HoldPlaced':
      return event.data.recordedAt;
    case 'HoldConfirmed':
      return event.data.confirmedAt;
    case 'HoldRejected':
      return event.data.rejectedAt;
    default:
      return assertNever(event);
  }
}
