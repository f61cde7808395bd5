import { knownVersion } from './schema-version';
import { assertNever } from './domain-error';
import type { WalletEvent, WalletEventType } from './wallet.events';

/** The JSON-safe form of a wallet event, as the event store keeps it. */
export interface EncodedWalletEvent {
  readonly type: WalletEventType;
  readonly schemaVersion: number;
  readonly data: Record<string, unknown>;
}

/** Current schema version of every event type; docs/events.md describes each version. */
export const WALLET_EVENT_SCHEMA_VERSIONS: Readonly<Record<WalletEventType, number>> = {
  WalletOpened: 1,
  WalletOwnerAdded: 1,
  OverdraftLimitSet: 1,
  FundsCredited: 1,
  FundsDebited: 1,
  HoldPlaced: 1,
  HoldConfirmed: 1,
  HoldRejected: 1,
  HoldCaptured: 1,
  HoldIncreased: 1,
  TransactionReversed: 1,
};

export const WALLET_EVENT_TYPES = Object.keys(WALLET_EVENT_SCHEMA_VERSIONS) as WalletEventType[];

/** Money leaves the process as a decimal string, never as a JSON number. */
export function encodeWalletEvent(event: WalletEvent): EncodedWalletEvent {
  const data: Record<string, unknown> = { ...event.data };
  if ('amountMinor' in event.data) data['amountMinor'] = event.data.amountMinor.toString();
  if ('releasedMinor' in event.data) data['releasedMinor'] = event.data.releasedMinor.toString();
  if ('overdraftLimit' in event.data && event.data.overdraftLimit !== undefined) data['overdraftLimit'] = event.data.overdraftLimit.toString();
  return { type: event.type, schemaVersion: WALLET_EVENT_SCHEMA_VERSIONS[event.type], data };
}

/**
 * Turns a stored event back into a domain event, upcasting older schema versions first.
 * Every type is at version 1 today, so there is nothing to upcast yet; a version this
 * code does not know is a broken invariant, not a domain outcome.
 */
export function decodeWalletEvent(encoded: { type: string; schemaVersion: number; data: unknown }): WalletEvent {
  const type = knownVersion(WALLET_EVENT_SCHEMA_VERSIONS, encoded);
  const data = encoded.data as Record<string, unknown>;
  switch (type) {
    case 'WalletOwnerAdded':
      return { type, data } as unknown as WalletEvent;
    case 'WalletOpened':
    case 'OverdraftLimitSet': {
      const limit = data['overdraftLimit'] as string | undefined;
      const overdraftLimit = limit === undefined ? {} : { overdraftLimit: limit === 'unlimited' ? limit : BigInt(limit) };
      return { type, data: { ...data, ...overdraftLimit } } as unknown as WalletEvent;
    }
    case 'FundsCredited':
    case 'FundsDebited':
    case 'HoldPlaced':
    case 'HoldConfirmed':
    case 'HoldRejected':
    case 'HoldIncreased':
    case 'TransactionReversed':
      return { type, data: { ...data, amountMinor: BigInt(data['amountMinor'] as string) } } as unknown as WalletEvent;
    case 'HoldCaptured':
      return { type, data: { ...data, amountMinor: BigInt(data['amountMinor'] as string), releasedMinor: BigInt(data['releasedMinor'] as string) } } as unknown as WalletEvent;
    default:
      return assertNever(type);
  }
}
