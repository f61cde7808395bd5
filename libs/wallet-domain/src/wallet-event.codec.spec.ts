import { T0, captured, confirmed, credited, debited, held, increased, limitSet, opened, ownerAdded, rejected, reversed } from '@wallet/testing';
import { MAX_MINOR } from './money';
import { WALLET_EVENT_SCHEMA_VERSIONS, WALLET_EVENT_TYPES, decodeWalletEvent, encodeWalletEvent } from './wallet-event.codec';
import type { OverdraftLimit, WalletEvent, WalletEventType } from './wallet.events';
import { foldWallet } from './wallet.evolve';

/** Description and metadata of every recorded transaction sample, covering each metadata value type. */
const rent = { description: 'Rent', metadata: { invoice: 'A-1', paid: true, count: 3, note: null } };

/** One sample of every event type; the record type makes a new event type fail to compile here. */
const samples: Record<WalletEventType, WalletEvent> = {
  WalletOpened: opened({ metadata: { a: 1 } }),
  WalletOwnerAdded: ownerAdded('u-2'),
  OverdraftLimitSet: limitSet(MAX_MINOR),
  FundsCredited: credited('tx-1', MAX_MINOR, { ...rent, reference: 'inv-1' }),
  FundsDebited: debited('tx-1', 1n, rent),
  HoldPlaced: held('tx-1', 'debit', 250n, { ...rent, expiresAt: T0.toISOString() }),
  HoldConfirmed: confirmed('tx-1', 'credit', 9007199254740993n),
  HoldRejected: rejected('tx-1', 'debit', 7n, { reason: 'Fraud' }),
  HoldCaptured: captured('tx-1', 'debit', 9007199254740993n, { releasedMinor: MAX_MINOR, final: true }),
  HoldIncreased: increased('tx-1', 'credit', 12n),
  TransactionReversed: reversed('rev-1', 'tx-1', 'credit', 5n, { ...rent, groupId: 'group-1' }),
};
const cases = Object.entries(samples) as [WalletEventType, WalletEvent][];
const moneyTypes: WalletEventType[] = ['FundsCredited', 'FundsDebited', 'HoldPlaced', 'HoldConfirmed', 'HoldRejected', 'HoldCaptured', 'HoldIncreased', 'TransactionReversed'];

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

  it('encodes the released amount of a capture as a decimal string too', () => {
    expect(encodeWalletEvent(samples.HoldCaptured).data).toMatchObject({ amountMinor: '9007199254740993', releasedMinor: '9223372036854775807', final: true });
  });

  describe('overdraft limits', () => {
    const stored = (event: WalletEvent) => JSON.parse(JSON.stringify(encodeWalletEvent(event))) as { type: string; schemaVersion: number; data: Record<string, unknown> };

    it.each<[OverdraftLimit, string]>([
      [500n, '500'],
      [MAX_MINOR, '9223372036854775807'],
      ['unlimited', 'unlimited'],
    ])('writes the limit %p of WalletOpened and OverdraftLimitSet as %p, and reads it back', (overdraftLimit, text) => {
      for (const event of [opened({ overdraftLimit }), limitSet(overdraftLimit)]) {
        expect(stored(event).data['overdraftLimit']).toBe(text);
        expect(decodeWalletEvent(stored(event))).toEqual(event);
      }
    });

    it('reads a WalletOpened without the field (as every older one is) as a wallet with limit 0', () => {
      const older = stored(opened());
      expect(older.data).not.toHaveProperty('overdraftLimit');
      const decoded = decodeWalletEvent(older);
      expect(decoded.data).not.toHaveProperty('overdraftLimit');
      expect(foldWallet([decoded]).overdraftLimit).toBe(0n);
    });

    it('reads "unlimited" back as the string, a number limit as a bigint', () => {
      expect(foldWallet([decodeWalletEvent(stored(opened({ overdraftLimit: 'unlimited' })))]).overdraftLimit).toBe('unlimited');
      expect(foldWallet([decodeWalletEvent(stored(opened())), decodeWalletEvent(stored(limitSet(9007199254740993n)))]).overdraftLimit).toBe(9007199254740993n);
    });
  });

  it('keeps a reference when given and writes none when absent', () => {
    expect(encodeWalletEvent(samples.FundsCredited).data['reference']).toBe('inv-1');
    expect(encodeWalletEvent(samples.FundsDebited).data).not.toHaveProperty('reference');
    expect(decodeWalletEvent(JSON.parse(JSON.stringify(encodeWalletEvent(samples.FundsDebited)))).data).not.toHaveProperty('reference');
  });

  it.each([0, 2, 99])('refuses an unknown schemaVersion %p', (schemaVersion) => {
    const encoded = { ...encodeWalletEvent(samples.FundsCredited), schemaVersion };
    expect(() => decodeWalletEvent(encoded)).toThrow(`Cannot decode FundsCredited v${schemaVersion}: this build knows v1.`);
  });

  it.each(['FundsMoved', 'toString', '__proto__'])('refuses an unknown type %p', (type) => {
    expect(() => decodeWalletEvent({ type, schemaVersion: 1, data: {} })).toThrow(/^Cannot decode/);
  });
});
