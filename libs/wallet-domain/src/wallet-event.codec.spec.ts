import { MAX_MINOR } from './money';
import { WALLET_EVENT_SCHEMA_VERSIONS, WALLET_EVENT_TYPES, decodeWalletEvent, encodeWalletEvent } from './wallet-event.codec';
import type { WalletEvent, WalletEventType } from './wallet.events';

const walletId = 'wallet-1';
const at = '2025-01-01T00:00:00.000Z';
const recorded = {
  walletId,
  transactionId: 'tx-1',
  amountMinor: MAX_MINOR,
  description: 'Rent',
  metadata: { invoice: 'A-1', paid: true, count: 3, note: null },
  groupId: null,
  recordedAt: at,
};

/** One sample of every event type; the record type makes a new event type fail to compile here. */
const samples: Record<WalletEventType, WalletEvent> = {
  WalletOpened: {
    type: 'WalletOpened',
    data: { walletId, walletType: 'personal', currency: 'USD', owners: [{ ownerType: 'user', ownerRef: 'u-1' }], metadata: { a: 1 }, openedAt: at },
  },
  WalletOwnerAdded: { type: 'WalletOwnerAdded', data: { walletId, ownerType: 'user', ownerRef: 'u-2', addedAt: at } },
  FundsCredited: { type: 'FundsCredited', data: recorded },
  FundsDebited: { type: 'FundsDebited', data: { ...recorded, amountMinor: 1n } },
  HoldPlaced: { type: 'HoldPlaced', data: { ...recorded, amountMinor: 250n, transactionType: 'debit', expiresAt: at } },
  HoldConfirmed: { type: 'HoldConfirmed', data: { walletId, transactionId: 'tx-1', transactionType: 'credit', amountMinor: 9007199254740993n, confirmedAt: at } },
  HoldRejected: { type: 'HoldRejected', data: { walletId, transactionId: 'tx-1', transactionType: 'debit', amountMinor: 7n, reason: 'Fraud', rejectedAt: at } },
};
const cases = Object.entries(samples) as [WalletEventType, WalletEvent][];
const moneyTypes: WalletEventType[] = ['FundsCredited', 'FundsDebited', 'HoldPlaced', 'HoldConfirmed', 'HoldRejected'];

describe('wallet event codec', () => {
  it('knows every event type, each at schema version 1', () => {
    expect([...WALLET_EVENT_TYPES].sort()).toEqual(Object.keys(samples).sort());
    for (const type of WALLET_EVENT_TYPES) expect(WALLET_EVENT_SCHEMA_VERSIONS[type]).toBe(1);
  });

  it.each(cases)('round-trips %s', (type, event) => {
    const encoded = encodeWalletEvent(event);
    expect(encoded.type).toBe(type);
    expect(encoded.schemaVersion).toBe(1);
    expect(decodeWalletEvent(encoded)).toEqual(event);
  });

  it.each(cases)('round-trips %s through JSON text', (_type, event) => {
    const stored = JSON.parse(JSON.stringify(encodeWalletEvent(event))) as { type: string; schemaVersion: number; data: unknown };
    expect(decodeWalletEvent(stored)).toEqual(event);
  });

  it.each(moneyTypes)('encodes the amount of %s as a decimal string, leaving the event untouched', (type) => {
    const event = samples[type];
    const encoded = encodeWalletEvent(event);
    expect(encoded.data['amountMinor']).toBe((event.data as { amountMinor: bigint }).amountMinor.toString());
    expect(typeof (event.data as { amountMinor: unknown }).amountMinor).toBe('bigint');
  });

  it('keeps amounts beyond 2^53 exact', () => {
    expect(encodeWalletEvent(samples.FundsCredited).data['amountMinor']).toBe('9223372036854775807');
    expect(encodeWalletEvent(samples.HoldConfirmed).data['amountMinor']).toBe('9007199254740993');
  });

  it.each([0, 2, 99])('refuses an unknown schemaVersion %p', (schemaVersion) => {
    const encoded = { ...encodeWalletEvent(samples.FundsCredited), schemaVersion };
    expect(() => decodeWalletEvent(encoded)).toThrow(`Cannot decode FundsCredited v${schemaVersion}: this build knows v1.`);
  });

  it.each(['FundsMoved', 'toString', '__proto__'])('refuses an unknown type %p', (type) => {
    expect(() => decodeWalletEvent({ type, schemaVersion: 1, data: {} })).toThrow(/^Cannot decode/);
  });
});
