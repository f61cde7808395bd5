import {
  T0,
  T1,
  T2,
  T3,
  confirmGroup,
  confirmed,
  credited,
  debited,
  expireGroup,
  type GroupHistory,
  groupConfirmed,
  groupDeciderSpec,
  groupId,
  groupRecorded,
  groupRejected,
  held,
  leg,
  ms,
  opened,
  recordGroup,
  refusal,
  rejectGroup,
  rejected,
} from '@wallet/testing';
import { DomainError } from './domain-error';
import { EXPIRED_REASON, GROUP_LEGS_MAX, type GroupCommand } from './group.commands';
import { decideGroup } from './group.decide';
import type { GroupEvent } from './group.events';
import { initialGroupState } from './group.state';
import { MAX_MINOR } from './money';
import { decideWallet } from './wallet.decide';
import type { WalletEvent } from './wallet.events';
import { foldWallet } from './wallet.evolve';
import { balanceOf } from './wallet.state';

const A = 'wallet-a';
const B = 'wallet-b';
const C = 'wallet-c';
const EUR = 'wallet-eur';
const UNKNOWN = 'wallet-unknown';

/** A USD wallet opened at T0 and, unless `amountMinor` is 0, credited with it. */
const funded = (walletId: string, amountMinor: bigint, currency = 'USD'): WalletEvent[] => [
  opened({ walletId, currency }),
  ...(amountMinor > 0n ? [credited(`seed-${walletId}`, amountMinor, { walletId })] : []),
];

const spec = groupDeciderSpec();

const iso = (date: Date): string => date.toISOString();

describe('decideGroup: RecordGroup', () => {
  const legs = [leg(A, 'tx-1', 'debit', 60n, 'rent'), leg(B, 'tx-2', 'credit', 50n), leg(C, 'tx-3', 'credit', 10n, 'fee')];
  const history = { wallets: [...funded(A, 100n), ...funded(B, 0n), ...funded(C, 0n)] };

  it('confirmed: records the group and every leg at once, each leg confirmed and naming its group', () => {
    spec.given(history)
      .when(recordGroup(legs, { description: 'split', metadata: { order: 7 } }))
      .then({
        group: [groupRecorded(legs, { description: 'split', metadata: { order: 7 }, recordedAt: iso(T1) })],
        wallets: {
          [A]: [debited('tx-1', 60n, { walletId: A, groupId, description: 'rent', recordedAt: iso(T1) })],
          [B]: [credited('tx-2', 50n, { walletId: B, groupId, recordedAt: iso(T1) })],
          [C]: [credited('tx-3', 10n, { walletId: C, groupId, description: 'fee', recordedAt: iso(T1) })],
        },
      });
  });

  it('confirmed: the ledgers move at once', () => {
    const after = spec.given(history).when(recordGroup(legs)).thenWallets();
    expect([...after].map(([id, state]) => [id, balanceOf(state)])).toEqual([
      [A, { ledgerMinor: 40n, availableMinor: 40n, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n }],
      [B, { ledgerMinor: 50n, availableMinor: 50n, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n }],
      [C, { ledgerMinor: 10n, availableMinor: 10n, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n }],
    ]);
  });

  it('pending: every leg is a hold naming the group, with the group\'s expiresAt', () => {
    const expiresAt = T3;
    spec.given(history)
      .when(recordGroup(legs, { pending: true, expiresAt }))
      .then({
        group: [groupRecorded(legs, { pending: true, expiresAt: iso(expiresAt), recordedAt: iso(T1) })],
        wallets: {
          [A]: [held('tx-1', 'debit', 60n, { walletId: A, groupId, description: 'rent', recordedAt: iso(T1), expiresAt: iso(expiresAt) })],
          [B]: [held('tx-2', 'credit', 50n, { walletId: B, groupId, recordedAt: iso(T1), expiresAt: iso(expiresAt) })],
          [C]: [held('tx-3', 'credit', 10n, { walletId: C, groupId, description: 'fee', recordedAt: iso(T1), expiresAt: iso(expiresAt) })],
        },
      });
  });

  it('pending: debits reserve funds at once, credits count only as pending credits', () => {
    const after = spec.given(history).when(recordGroup(legs, { pending: true })).thenWallets();
    expect(balanceOf(after.get(A)!)).toEqual({ ledgerMinor: 100n, availableMinor: 40n, pendingDebitsMinor: 60n, pendingCreditsMinor: 0n });
    expect(balanceOf(after.get(B)!)).toEqual({ ledgerMinor: 0n, availableMinor: 0n, pendingDebitsMinor: 0n, pendingCreditsMinor: 50n });
    expect(after.get(A)!.holds.get('tx-1')).toMatchObject({ groupId, transactionType: 'debit', amountMinor: 60n });
  });

  it('pending without expiresAt: holds that never expire', () => {
    spec.given(history)
      .when(recordGroup(legs.slice(0, 2), { pending: true }))
      .then({
        group: [groupRecorded(legs.slice(0, 2), { pending: true, recordedAt: iso(T1) })],
        wallets: {
          [A]: [held('tx-1', 'debit', 60n, { walletId: A, groupId, description: 'rent', recordedAt: iso(T1) })],
          [B]: [held('tx-2', 'credit', 50n, { walletId: B, groupId, recordedAt: iso(T1) })],
        },
      });
  });

  it('a group\'s legs need not net to zero', () => {
    const unbalanced = [leg(B, 'tx-1', 'credit', 5n), leg(C, 'tx-2', 'credit', 7n)];
    expect(decideGroup(recordGroup(unbalanced), { ...initialGroupState, groupId }, new Map([[B, foldWallet(funded(B, 0n))], [C, foldWallet(funded(C, 0n))]])).groupEvents).toHaveLength(1);
  });

  it('records exactly 2 and exactly 100 legs', () => {
    const hundred = Array.from({ length: GROUP_LEGS_MAX }, (_, k) => leg(k % 2 === 0 ? A : B, `tx-${k}`, 'credit', 1n));
    const decision = spec.given(history).when(recordGroup(hundred)).thenWallets();
    expect(balanceOf(decision.get(A)!).ledgerMinor).toBe(150n);
    expect(balanceOf(decision.get(B)!).ledgerMinor).toBe(50n);
    expect(spec.given(history).when(recordGroup(legs.slice(0, 2))).thenWallets().size).toBe(2);
  });

  describe('legs on the same wallet are judged together, in order', () => {
    const wallets = [...funded(A, 100n), ...funded(B, 0n)];

    it('two debits that each fit but not both: the second is refused', () => {
      spec.given({ wallets })
        .when(recordGroup([leg(A, 'tx-1', 'debit', 60n), leg(B, 'tx-2', 'credit', 120n), leg(A, 'tx-3', 'debit', 60n)]))
        .thenThrows('INSUFFICIENT_FUNDS', 2);
    });

    it('two pending debits that each fit but not both: the second is refused', () => {
      spec.given({ wallets })
        .when(recordGroup([leg(A, 'tx-1', 'debit', 60n), leg(A, 'tx-2', 'debit', 60n)], { pending: true }))
        .thenThrows('INSUFFICIENT_FUNDS', 1);
    });

    it('a credit before a debit on the same wallet funds it; both events in leg order', () => {
      spec.given({ wallets })
        .when(recordGroup([leg(A, 'tx-1', 'credit', 50n), leg(B, 'tx-2', 'credit', 1n), leg(A, 'tx-3', 'debit', 150n)]))
        .then({
          group: [groupRecorded([leg(A, 'tx-1', 'credit', 50n), leg(B, 'tx-2', 'credit', 1n), leg(A, 'tx-3', 'debit', 150n)], { recordedAt: iso(T1) })],
          wallets: {
            [A]: [credited('tx-1', 50n, { walletId: A, groupId, recordedAt: iso(T1) }), debited('tx-3', 150n, { walletId: A, groupId, recordedAt: iso(T1) })],
            [B]: [credited('tx-2', 1n, { walletId: B, groupId, recordedAt: iso(T1) })],
          },
        });
    });

    it('the same credit after the debit does not: the debit is refused', () => {
      spec.given({ wallets })
        .when(recordGroup([leg(A, 'tx-3', 'debit', 150n), leg(A, 'tx-1', 'credit', 50n)]))
        .thenThrows('INSUFFICIENT_FUNDS', 0);
    });

    it('a pending credit does not fund a pending debit on the same wallet', () => {
      spec.given({ wallets })
        .when(recordGroup([leg(A, 'tx-1', 'credit', 50n), leg(A, 'tx-2', 'debit', 150n)], { pending: true }))
        .thenThrows('INSUFFICIENT_FUNDS', 1);
    });

    it('a wallet\'s existing holds count: a pending debit outside the group reserves funds', () => {
      spec.given({ wallets: [...wallets, held('h-1', 'debit', 50n, { walletId: A })] })
        .when(recordGroup([leg(A, 'tx-1', 'debit', 51n), leg(B, 'tx-2', 'credit', 51n)]))
        .thenThrows('INSUFFICIENT_FUNDS', 0);
    });

    it('the same transaction id twice on one wallet: TRANSACTION_ALREADY_EXISTS on the second leg', () => {
      spec.given({ wallets })
        .when(recordGroup([leg(A, 'tx-1', 'credit', 1n), leg(A, 'tx-1', 'credit', 1n)]))
        .thenThrows('TRANSACTION_ALREADY_EXISTS', 1);
    });
  });

  describe('a refused leg refuses the group and names its legIndex', () => {
    const wallets = [...funded(A, 100n), ...funded(B, 0n), ...funded(C, 5n), ...funded(EUR, 100n, 'EUR')];

    it.each([0, 1, 2])('INSUFFICIENT_FUNDS on leg %i', (index) => {
      const legs3 = [leg(A, 'tx-0', 'credit', 1n), leg(B, 'tx-1', 'credit', 1n), leg(C, 'tx-2', 'credit', 1n)];
      legs3[index] = leg(C, `tx-${index}`, 'debit', 6n);
      spec.given({ wallets }).when(recordGroup(legs3)).thenThrows('INSUFFICIENT_FUNDS', index);
    });

    it.each([true, false])('INSUFFICIENT_FUNDS on a debit of an empty wallet (pending %p)', (pending) => {
      spec.given({ wallets }).when(recordGroup([leg(A, 'tx-1', 'credit', 1n), leg(B, 'tx-2', 'debit', 1n)], { pending })).thenThrows('INSUFFICIENT_FUNDS', 1);
    });

    it.each([1, 2])('WALLET_NOT_FOUND on leg %i', (index) => {
      const legs3 = [leg(A, 'tx-0', 'debit', 1n), leg(B, 'tx-1', 'credit', 1n), leg(C, 'tx-2', 'credit', 1n)];
      legs3[index] = leg(UNKNOWN, `tx-${index}`, 'credit', 1n);
      spec.given({ wallets }).when(recordGroup(legs3)).thenThrows('WALLET_NOT_FOUND', index);
    });

    // Regression: leg 0's unknown wallet once gave the group the currency '' and leg 1 a CURRENCY_MISMATCH.
    it('WALLET_NOT_FOUND on leg 0, not CURRENCY_MISMATCH on leg 1', () => {
      spec.given({ wallets }).when(recordGroup([leg(UNKNOWN, 'tx-0', 'debit', 1n), leg(B, 'tx-1', 'credit', 1n)])).thenThrows('WALLET_NOT_FOUND', 0);
    });

    it('WALLET_NOT_FOUND on leg 0 when no leg\'s wallet exists', () => {
      spec.given({ wallets }).when(recordGroup([leg(UNKNOWN, 'tx-0', 'debit', 1n), leg('wallet-unknown-2', 'tx-1', 'credit', 1n)])).thenThrows('WALLET_NOT_FOUND', 0);
    });

    it.each([1, 2])('CURRENCY_MISMATCH on leg %i: the group takes the currency of leg 0', (index) => {
      const legs3 = [leg(A, 'tx-0', 'debit', 1n), leg(B, 'tx-1', 'credit', 1n), leg(C, 'tx-2', 'credit', 1n)];
      legs3[index] = leg(EUR, `tx-${index}`, 'credit', 1n);
      spec.given({ wallets }).when(recordGroup(legs3)).thenThrows('CURRENCY_MISMATCH', index);
    });

    it('CURRENCY_MISMATCH names the first USD leg when leg 0 is in EUR', () => {
      spec.given({ wallets }).when(recordGroup([leg(EUR, 'tx-0', 'debit', 1n), leg(A, 'tx-1', 'credit', 1n)])).thenThrows('CURRENCY_MISMATCH', 1);
    });

    it.each([
      ['0', 0n],
      ['negative', -1n],
      ['2^63', MAX_MINOR + 1n],
    ])('VALIDATION_FAILED for an amount of %s on leg 1', (_label, amountMinor) => {
      spec.given({ wallets }).when(recordGroup([leg(A, 'tx-0', 'debit', 1n), leg(B, 'tx-1', 'credit', amountMinor)])).thenThrows('VALIDATION_FAILED', 1);
    });

    it.each([0, 1, GROUP_LEGS_MAX + 1])('VALIDATION_FAILED for %i legs, naming no leg', (count) => {
      const many = Array.from({ length: count }, (_, k) => leg(A, `tx-${k}`, 'credit', 1n));
      spec.given({ wallets }).when(recordGroup(many)).thenThrows('VALIDATION_FAILED', null);
    });

    it('VALIDATION_FAILED for expiresAt on a group that is not pending', () => {
      spec.given({ wallets }).when(recordGroup([leg(A, 'tx-0', 'debit', 1n), leg(B, 'tx-1', 'credit', 1n)], { expiresAt: T2 })).thenThrows('VALIDATION_FAILED');
    });

    it.each([
      ['now', T1],
      ['in the past', T0],
    ])('VALIDATION_FAILED for expiresAt %s', (_label, expiresAt) => {
      spec.given({ wallets }).when(recordGroup([leg(A, 'tx-0', 'debit', 1n), leg(B, 'tx-1', 'credit', 1n)], { pending: true, expiresAt })).thenThrows('VALIDATION_FAILED');
    });

    it('BALANCE_LIMIT_EXCEEDED on a credit that takes the ledger past 2^63 - 1', () => {
      spec.given({ wallets: [...wallets, credited('big', MAX_MINOR - 10n, { walletId: B })] })
        .when(recordGroup([leg(A, 'tx-0', 'debit', 11n), leg(B, 'tx-1', 'credit', 11n)]))
        .thenThrows('BALANCE_LIMIT_EXCEEDED', 1);
    });

    it('BALANCE_LIMIT_EXCEEDED on a pending credit that takes pending credits past 2^63 - 1', () => {
      spec.given({ wallets: [...wallets, held('big', 'credit', MAX_MINOR - 10n, { walletId: B })] })
        .when(recordGroup([leg(A, 'tx-0', 'debit', 11n), leg(B, 'tx-1', 'credit', 11n)], { pending: true }))
        .thenThrows('BALANCE_LIMIT_EXCEEDED', 1);
    });

    it('two credits on one wallet that each fit but not both: BALANCE_LIMIT_EXCEEDED on the second', () => {
      spec.given({ wallets: [...wallets, credited('big', MAX_MINOR - 10n, { walletId: B })] })
        .when(recordGroup([leg(B, 'tx-0', 'credit', 6n), leg(A, 'tx-1', 'credit', 1n), leg(B, 'tx-2', 'credit', 6n)]))
        .thenThrows('BALANCE_LIMIT_EXCEEDED', 2);
    });
  });

  it('GROUP_ALREADY_EXISTS when the group was recorded before, whatever its status', () => {
    const legs2 = [leg(A, 'tx-1', 'debit', 1n), leg(B, 'tx-2', 'credit', 1n)];
    for (const group of [[groupRecorded(legs2)], [groupRecorded(legs2, { pending: true })], [groupRecorded(legs2, { pending: true }), groupRejected('no')]]) {
      spec.given({ wallets: [...funded(A, 100n), ...funded(B, 0n)], group }).when(recordGroup([leg(A, 'tx-3', 'debit', 1n), leg(B, 'tx-4', 'credit', 1n)])).thenThrows('GROUP_ALREADY_EXISTS', null);
    }
  });
});

describe('decideGroup: settling a pending group', () => {
  /** A pending group of three legs, two of them on wallet A, recorded at T0. */
  const legs = [leg(A, 'tx-1', 'debit', 30n), leg(B, 'tx-2', 'credit', 30n), leg(A, 'tx-3', 'debit', 20n)];
  const pendingGroup = (expiresAt: Date | null = null): GroupHistory => {
    const expires = expiresAt === null ? null : iso(expiresAt);
    return {
      wallets: [
        ...funded(A, 100n),
        ...funded(B, 0n),
        held('tx-1', 'debit', 30n, { walletId: A, groupId, expiresAt: expires }),
        held('tx-2', 'credit', 30n, { walletId: B, groupId, expiresAt: expires }),
        held('tx-3', 'debit', 20n, { walletId: A, groupId, expiresAt: expires }),
      ],
      group: [groupRecorded(legs, { pending: true, expiresAt: expires })],
    };
  };

  it('the pending history above is what RecordGroup decides', () => {
    const history = pendingGroup(T2);
    const states = new Map([[A, foldWallet(funded(A, 100n))], [B, foldWallet(funded(B, 0n))]]);
    const decision = decideGroup(recordGroup(legs, { pending: true, expiresAt: T2, now: T0 }), { ...initialGroupState, groupId }, states);
    expect(decision.groupEvents).toEqual(history.group);
    expect([...decision.walletEvents.get(A)!, ...decision.walletEvents.get(B)!]).toEqual(
      [history.wallets![3], history.wallets![5], history.wallets![4]],
    );
  });

  describe('ConfirmGroup', () => {
    it('confirms every leg at once, in leg order per wallet', () => {
      spec.given(pendingGroup())
        .when(confirmGroup({ now: T1 }))
        .then({
          group: [groupConfirmed({ confirmedAt: iso(T1) })],
          wallets: {
            [A]: [confirmed('tx-1', 'debit', 30n, { walletId: A, confirmedAt: iso(T1) }), confirmed('tx-3', 'debit', 20n, { walletId: A, confirmedAt: iso(T1) })],
            [B]: [confirmed('tx-2', 'credit', 30n, { walletId: B, confirmedAt: iso(T1) })],
          },
        });
    });

    it('moves the reserved debits and the pending credits into the ledgers', () => {
      const after = spec.given(pendingGroup()).when(confirmGroup()).thenWallets();
      expect(balanceOf(after.get(A)!)).toEqual({ ledgerMinor: 50n, availableMinor: 50n, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n });
      expect(balanceOf(after.get(B)!)).toEqual({ ledgerMinor: 30n, availableMinor: 30n, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n });
    });

    it('one millisecond before expiresAt succeeds', () => {
      spec.given(pendingGroup(T2)).when(confirmGroup({ now: ms(T2, -1) })).thenWallets();
    });

    it.each([
      ['at expiresAt', T2],
      ['after expiresAt (before the expiry worker ran)', ms(T2, 1)],
    ])('HOLD_EXPIRED %s', (_label, now) => {
      spec.given(pendingGroup(T2)).when(confirmGroup({ now })).thenThrows('HOLD_EXPIRED', null);
    });

    it('HOLD_EXPIRED after the group was rejected as expired', () => {
      const history = pendingGroup(T2);
      spec.given({ ...history, group: [...history.group!, groupRejected(EXPIRED_REASON, { rejectedAt: iso(T2) })] })
        .when(confirmGroup({ now: T3 }))
        .thenThrows('HOLD_EXPIRED', null);
    });

    it('BALANCE_LIMIT_EXCEEDED naming the leg whose credit no longer fits', () => {
      const history = pendingGroup();
      spec.given({ ...history, wallets: [...history.wallets!, credited('big', MAX_MINOR - 10n, { walletId: B })] })
        .when(confirmGroup())
        .thenThrows('BALANCE_LIMIT_EXCEEDED', 1);
    });
  });

  describe('RejectGroup', () => {
    it('rejects every leg at once with the reason, releasing the reserved debits', () => {
      spec.given(pendingGroup())
        .when(rejectGroup('cancelled', { now: T1 }))
        .then({
          group: [groupRejected('cancelled', { rejectedAt: iso(T1) })],
          wallets: {
            [A]: [rejected('tx-1', 'debit', 30n, { walletId: A, reason: 'cancelled', rejectedAt: iso(T1) }), rejected('tx-3', 'debit', 20n, { walletId: A, reason: 'cancelled', rejectedAt: iso(T1) })],
            [B]: [rejected('tx-2', 'credit', 30n, { walletId: B, reason: 'cancelled', rejectedAt: iso(T1) })],
          },
        });
      const after = spec.given(pendingGroup()).when(rejectGroup(null)).thenWallets();
      expect(balanceOf(after.get(A)!)).toEqual({ ledgerMinor: 100n, availableMinor: 100n, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n });
      expect(balanceOf(after.get(B)!)).toEqual({ ledgerMinor: 0n, availableMinor: 0n, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n });
    });

    it('is allowed after expiresAt, before the expiry worker ran, with the caller\'s reason', () => {
      spec.given(pendingGroup(T2))
        .when(rejectGroup(null, { now: T3 }))
        .then({
          group: [groupRejected(null, { rejectedAt: iso(T3) })],
          wallets: {
            [A]: [rejected('tx-1', 'debit', 30n, { walletId: A, rejectedAt: iso(T3) }), rejected('tx-3', 'debit', 20n, { walletId: A, rejectedAt: iso(T3) })],
            [B]: [rejected('tx-2', 'credit', 30n, { walletId: B, rejectedAt: iso(T3) })],
          },
        });
    });
  });

  describe('ExpireGroup', () => {
    it.each([
      ['at expiresAt', T2],
      ['after expiresAt', T3],
    ])('rejects every leg with reason "expired" %s', (_label, now) => {
      spec.given(pendingGroup(T2))
        .when(expireGroup({ now }))
        .then({
          group: [groupRejected(EXPIRED_REASON, { rejectedAt: iso(now) })],
          wallets: {
            [A]: [rejected('tx-1', 'debit', 30n, { walletId: A, reason: EXPIRED_REASON, rejectedAt: iso(now) }), rejected('tx-3', 'debit', 20n, { walletId: A, reason: EXPIRED_REASON, rejectedAt: iso(now) })],
            [B]: [rejected('tx-2', 'credit', 30n, { walletId: B, reason: EXPIRED_REASON, rejectedAt: iso(now) })],
          },
        });
    });

    it('the expired legs answer HOLD_EXPIRED on their wallets afterwards', () => {
      const after = spec.given(pendingGroup(T2)).when(expireGroup({ now: T2 })).thenWallets();
      expect(refusal(() => decideWallet({ type: 'ConfirmTransaction', walletId: A, transactionId: 'tx-1', groupId, now: T3 }, after.get(A)!)).code).toBe('HOLD_EXPIRED');
    });

    it('HOLD_NOT_EXPIRED one millisecond before expiresAt', () => {
      spec.given(pendingGroup(T2)).when(expireGroup({ now: ms(T2, -1) })).thenThrows('HOLD_NOT_EXPIRED', null);
    });

    it('HOLD_NOT_EXPIRED for a group without expiresAt', () => {
      spec.given(pendingGroup()).when(expireGroup({ now: ms(T3, 365 * 86_400_000) })).thenThrows('HOLD_NOT_EXPIRED', null);
    });
  });

  describe('GROUP_NOT_FOUND', () => {
    it.each([
      ['ConfirmGroup', confirmGroup()],
      ['RejectGroup', rejectGroup('x')],
      ['ExpireGroup', expireGroup({ now: T3 })],
    ])('%s of a group never recorded', (_label, command) => {
      spec.given({ wallets: funded(A, 100n) }).when(command).thenThrows('GROUP_NOT_FOUND', null);
    });
  });

  describe('GROUP_NOT_PENDING', () => {
    const settled: [string, GroupEvent[]][] = [
      ['completed at once', [groupRecorded([leg(A, 'tx-1', 'debit', 1n), leg(B, 'tx-2', 'credit', 1n)], { expiresAt: null })]],
      ['confirmed', [groupRecorded(legs, { pending: true, expiresAt: iso(T2) }), groupConfirmed()]],
      ['rejected by a caller', [groupRecorded(legs, { pending: true, expiresAt: iso(T2) }), groupRejected('no')]],
    ];
    const commands: [string, GroupCommand][] = [
      ['ConfirmGroup', confirmGroup()],
      ['RejectGroup', rejectGroup(null)],
      ['ExpireGroup', expireGroup({ now: T3 })],
    ];
    for (const [label, group] of settled) {
      it.each(commands)(`%s of a group ${label}`, (_command, command) => {
        spec.given({ wallets: [...funded(A, 100n), ...funded(B, 0n)], group }).when(command).thenThrows('GROUP_NOT_PENDING', null);
      });
    }

    it.each([
      ['RejectGroup', rejectGroup(null, { now: T3 })],
      ['ExpireGroup', expireGroup({ now: T3 })],
    ])('%s of a group already rejected as expired', (_label, command) => {
      const history = pendingGroup(T2);
      spec.given({ ...history, group: [...history.group!, groupRejected(EXPIRED_REASON, { rejectedAt: iso(T2) })] }).when(command).thenThrows('GROUP_NOT_PENDING', null);
    });
  });
});

describe('decideWallet: a leg is settled only through its group', () => {
  const history = [
    ...funded(A, 100n),
    held('tx-1', 'debit', 30n, { walletId: A, groupId, expiresAt: iso(T2) }),
    held('solo', 'debit', 10n, { walletId: A, expiresAt: iso(T2) }),
  ];
  const state = foldWallet(history);

  it.each([
    ['ConfirmTransaction', { type: 'ConfirmTransaction', walletId: A, transactionId: 'tx-1', now: T1 }],
    ['RejectTransaction', { type: 'RejectTransaction', walletId: A, transactionId: 'tx-1', reason: null, now: T1 }],
    ['ExpireHold', { type: 'ExpireHold', walletId: A, transactionId: 'tx-1', now: T3 }],
    ['ConfirmTransaction through another group', { type: 'ConfirmTransaction', walletId: A, transactionId: 'tx-1', groupId: 'group-2', now: T1 }],
  ] as const)('%s of a leg alone: TRANSACTION_PART_OF_GROUP naming the group', (_label, command) => {
    const error = refusal(() => decideWallet(command, state));
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe('TRANSACTION_PART_OF_GROUP');
    expect(error.details).toEqual({ groupId });
  });

  it('a transaction outside any group cannot be settled through a group', () => {
    expect(refusal(() => decideWallet({ type: 'ConfirmTransaction', walletId: A, transactionId: 'solo', groupId, now: T1 }, state)).code).toBe('TRANSACTION_PART_OF_GROUP');
  });

  it('ExpireHold of a single hold: rejected as expired at expiresAt, then confirm answers HOLD_EXPIRED and reject TRANSACTION_NOT_PENDING', () => {
    expect(refusal(() => decideWallet({ type: 'ExpireHold', walletId: A, transactionId: 'solo', now: ms(T2, -1) }, state)).code).toBe('HOLD_NOT_EXPIRED');
    const events = decideWallet({ type: 'ExpireHold', walletId: A, transactionId: 'solo', now: T2 }, state);
    expect(events).toEqual([rejected('solo', 'debit', 10n, { walletId: A, reason: EXPIRED_REASON, rejectedAt: iso(T2) })]);
    const after = foldWallet(events, state);
    expect(balanceOf(after).pendingDebitsMinor).toBe(30n);
    expect(refusal(() => decideWallet({ type: 'ConfirmTransaction', walletId: A, transactionId: 'solo', now: T3 }, after)).code).toBe('HOLD_EXPIRED');
    expect(refusal(() => decideWallet({ type: 'RejectTransaction', walletId: A, transactionId: 'solo', reason: null, now: T3 }, after)).code).toBe('TRANSACTION_NOT_PENDING');
    expect(refusal(() => decideWallet({ type: 'ExpireHold', walletId: A, transactionId: 'solo', now: T3 }, after)).code).toBe('TRANSACTION_NOT_PENDING');
  });

  it('ExpireHold of a hold without expiresAt: HOLD_NOT_EXPIRED', () => {
    const withOpenHold = foldWallet([held('open', 'debit', 1n, { walletId: A })], state);
    expect(refusal(() => decideWallet({ type: 'ExpireHold', walletId: A, transactionId: 'open', now: ms(T3, 10 ** 12) }, withOpenHold)).code).toBe('HOLD_NOT_EXPIRED');
  });
});
