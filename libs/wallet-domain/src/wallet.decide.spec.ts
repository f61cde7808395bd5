import {
  T0,
  T1,
  T2,
  addWalletOwner,
  confirm,
  credited,
  held,
  openWallet,
  opened,
  ownerAdded,
  record,
  reject,
  walletDeciderSpec,
  walletId,
} from '@wallet/testing';
import { decideWallet } from './wallet.decide';
import type { TransactionType } from './wallet.events';
import { evolveWallet } from './wallet.evolve';
import { initialWalletState } from './wallet.state';

const spec = walletDeciderSpec();

/** The wallet these specs open: a gold-tier EUR wallet. */
const eurGold = { currency: 'EUR', metadata: { tier: 'gold' } };

/** The transaction these specs record. */
const topUp = { transactionId: 'tx-1', amountMinor: 250n, description: 'Top-up', metadata: { source: 'card' } };

const recorded = {
  walletId,
  transactionId: 'tx-1',
  amountMinor: 250n,
  description: 'Top-up',
  metadata: { source: 'card' },
  groupId: null,
  recordedAt: T1.toISOString(),
};

describe('decideWallet: OpenWallet', () => {
  it('opens a wallet and records the moment', () => {
    spec
      .given([])
      .when(openWallet(eurGold))
      .then([opened(eurGold)]);
  });

  it('drops duplicate owners, keeping the first occurrence in order', () => {
    const owners = [
      { ownerType: 'user', ownerRef: 'u-1' },
      { ownerType: 'org', ownerRef: 'u-1' },
      { ownerType: 'user', ownerRef: 'u-1' },
    ];
    const [event] = decideWallet(openWallet({ walletType: 'shared', currency: 'USD', owners, metadata: {}, now: T0 }), initialWalletState);
    expect(event).toEqual({
      type: 'WalletOpened',
      data: {
        walletId,
        walletType: 'shared',
        currency: 'USD',
        owners: [owners[0], owners[1]],
        metadata: {},
        openedAt: T0.toISOString(),
      },
    });
  });
});

describe('decideWallet: AddWalletOwner', () => {
  it('adds a new owner', () => {
    spec
      .given([opened(eurGold)])
      .when(addWalletOwner('u-2'))
      .then([{ type: 'WalletOwnerAdded', data: { walletId, ownerType: 'user', ownerRef: 'u-2', addedAt: T1.toISOString() } }]);
  });

  it('treats the same ref under another owner type as a new owner', () => {
    spec
      .given([opened(eurGold)])
      .when(addWalletOwner('u-1', { ownerType: 'org' }))
      .then([{ type: 'WalletOwnerAdded', data: { walletId, ownerType: 'org', ownerRef: 'u-1', addedAt: T1.toISOString() } }]);
  });

  it('yields no events for an existing owner (from the opening or added later)', () => {
    spec.given([opened(eurGold)]).when(addWalletOwner('u-1')).then([]);
    const added = ownerAdded('u-2', { addedAt: T1.toISOString() });
    spec.given([opened(eurGold), added]).when(addWalletOwner('u-2', { now: T2 })).then([]);
  });
});

describe('decideWallet: RecordTransaction', () => {
  it('records a confirmed credit as FundsCredited', () => {
    spec.given([opened(eurGold)]).when(record(topUp)).then([{ type: 'FundsCredited', data: recorded }]);
  });

  it('records a confirmed debit as FundsDebited', () => {
    spec
      .given([opened(eurGold), credited('tx-0', 1000n)])
      .when(record({ ...topUp, transactionType: 'debit' }))
      .then([{ type: 'FundsDebited', data: recorded }]);
  });

  it.each<TransactionType>(['credit', 'debit'])('records a pending %s without expiry as HoldPlaced', (transactionType) => {
    spec
      .given([opened(eurGold), credited('tx-0', 1000n)])
      .when(record({ ...topUp, transactionType, pending: true }))
      .then([{ type: 'HoldPlaced', data: { ...recorded, transactionType, expiresAt: null } }]);
  });

  it.each<TransactionType>(['credit', 'debit'])('records a pending %s with expiry as HoldPlaced', (transactionType) => {
    spec
      .given([opened(eurGold), credited('tx-0', 1000n)])
      .when(record({ ...topUp, transactionType, pending: true, expiresAt: T2 }))
      .then([{ type: 'HoldPlaced', data: { ...recorded, transactionType, expiresAt: T2.toISOString() } }]);
  });

  it('accepts an expiry one millisecond after now', () => {
    const expiresAt = new Date(T1.getTime() + 1);
    const [event] = decideWallet(record({ ...topUp, pending: true, expiresAt }), [opened(eurGold)].reduce(evolveWallet, initialWalletState));
    expect(event).toMatchObject({ type: 'HoldPlaced', data: { expiresAt: '2025-01-01T01:00:00.001Z' } });
  });
});

describe('decideWallet: ConfirmTransaction', () => {
  it.each<TransactionType>(['credit', 'debit'])('confirms a pending %s', (transactionType) => {
    spec
      .given([opened(eurGold), credited('tx-0', 1000n), held('tx-1', transactionType, 300n)])
      .when(confirm('tx-1', { now: T2 }))
      .then([
        {
          type: 'HoldConfirmed',
          data: { walletId, transactionId: 'tx-1', transactionType, amountMinor: 300n, confirmedAt: T2.toISOString() },
        },
      ]);
  });
});

describe('decideWallet: RejectTransaction', () => {
  it.each<[TransactionType, string | null]>([
    ['debit', 'Card declined'],
    ['debit', null],
    ['credit', 'Chargeback'],
    ['credit', null],
  ])('rejects a pending %s with reason %p', (transactionType, reason) => {
    spec
      .given([opened(eurGold), credited('tx-0', 1000n), held('tx-1', transactionType, 300n)])
      .when(reject('tx-1', { reason, now: T2 }))
      .then([
        {
          type: 'HoldRejected',
          data: { walletId, transactionId: 'tx-1', transactionType, amountMinor: 300n, reason, rejectedAt: T2.toISOString() },
        },
      ]);
  });
});
