import {
  T1,
  confirmed,
  credited,
  debited,
  type GroupHistory,
  groupConfirmed,
  groupDeciderSpec,
  groupId,
  groupRecorded,
  groupRejected,
  groupReversed,
  held,
  leg,
  opened,
  reversed,
  reverseGroup,
} from '@wallet/testing';
import { decideGroup } from './group.decide';
import type { GroupLeg } from './group.events';
import { foldGroup } from './group.evolve';
import type { WalletEvent } from './wallet.events';
import { foldWallet } from './wallet.evolve';
import { balanceOf } from './wallet.state';

const A = 'wallet-a';
const B = 'wallet-b';
const C = 'wallet-c';
const REVERSAL = `${groupId}-reversal`;
const owner = { ownerType: 'user', ownerRef: 'u-1' };
const spec = groupDeciderSpec();
const iso = (date: Date): string => date.toISOString();

/** A wallet opened at T0 (held by u-1 unless `owners` says otherwise) and credited with `amountMinor` when above 0. */
const funded = (walletId: string, amountMinor: bigint, owners = [owner]): WalletEvent[] => [
  opened({ walletId, owners }),
  ...(amountMinor > 0n ? [credited(`seed-${walletId}`, amountMinor, { walletId })] : []),
];

/** The wallet events of a group recorded completed at once: each leg confirmed on its wallet. */
const legEvents = (legs: readonly GroupLeg[]): WalletEvent[] =>
  legs.map(({ walletId, transactionId, transactionType, amountMinor }) =>
    transactionType === 'credit' ? credited(transactionId, amountMinor, { walletId, groupId }) : debited(transactionId, amountMinor, { walletId, groupId }),
  );

/** A completed group that moved 60 from A to B. */
const payment = [leg(A, 'tx-1', 'debit', 60n), leg(B, 'tx-2', 'credit', 60n)];
const paid: GroupHistory = { wallets: [...funded(A, 100n), ...funded(B, 0n), ...legEvents(payment)], group: [groupRecorded(payment)] };

/** The legs of the reversal of `payment`: rev-0 and rev-1, each described by the reason. */
const reversalLegs = (reason: string | null) => [leg(A, 'rev-0', 'credit', 60n, reason), leg(B, 'rev-1', 'debit', 60n, reason)];

describe('decideGroup: ReverseGroup', () => {
  it('marks the group reversed and reverses every leg in full on its wallet, naming the reversal group', () => {
    spec.given(paid)
      .when(reverseGroup({ reason: 'refund' }))
      .then({
        group: [groupReversed(REVERSAL, { reason: 'refund', reversedAt: iso(T1) })],
        wallets: {
          [A]: [reversed('rev-0', 'tx-1', 'credit', 60n, { walletId: A, groupId: REVERSAL, description: 'refund', recordedAt: iso(T1) })],
          [B]: [reversed('rev-1', 'tx-2', 'debit', 60n, { walletId: B, groupId: REVERSAL, description: 'refund', recordedAt: iso(T1) })],
        },
      });
  });

  it('records the reversal group, completed, with reversalOf naming the original, for its own stream', () => {
    const wallets = new Map([A, B].map((id) => [id, foldWallet(paid.wallets!.filter((event) => event.data.walletId === id))]));
    const decision = decideGroup(reverseGroup({ reason: 'refund' }), foldGroup(paid.group!), wallets);
    expect(decision.reversalGroup).toEqual({
      groupId: REVERSAL,
      groupEvents: [groupRecorded(reversalLegs('refund'), { groupId: REVERSAL, description: 'refund', recordedAt: iso(T1), reversalOf: groupId })],
    });
    expect(foldGroup(decision.reversalGroup!.groupEvents)).toMatchObject({ groupId: REVERSAL, status: 'completed', reversalOf: groupId });
  });

  it('puts every wallet back where it was', () => {
    const after = spec.given(paid).when(reverseGroup()).thenWallets();
    expect(balanceOf(after.get(A)!)).toMatchObject({ ledgerMinor: 100n, availableMinor: 100n });
    expect(balanceOf(after.get(B)!)).toMatchObject({ ledgerMinor: 0n, availableMinor: 0n });
    expect(after.get(A)!.settled.get('tx-1')).toMatchObject({ capturedMinor: 60n, reversedMinor: 60n, groupId });
    expect(after.get(B)!.settled.get('rev-1')).toMatchObject({ reversalOf: 'tx-2', groupId: REVERSAL });
  });

  it('reverses a pending group that was confirmed', () => {
    const wallets = [
      ...funded(A, 100n),
      ...funded(B, 0n),
      held('tx-1', 'debit', 60n, { walletId: A, groupId }),
      held('tx-2', 'credit', 60n, { walletId: B, groupId }),
      confirmed('tx-1', 'debit', 60n, { walletId: A }),
      confirmed('tx-2', 'credit', 60n, { walletId: B }),
    ];
    const after = spec.given({ wallets, group: [groupRecorded(payment, { pending: true }), groupConfirmed()] }).when(reverseGroup()).thenWallets();
    expect([...after].map(([id, state]) => [id, balanceOf(state).ledgerMinor])).toEqual([[A, 100n], [B, 0n]]);
  });

  it('an owner holding every wallet may reverse a group that creates no money for it', () => {
    const after = spec.given(paid).when(reverseGroup({ actingFor: owner })).thenWallets();
    expect(after.size).toBe(2);
  });

  it('two legs on one wallet are judged together: each reversal fits alone but not both', () => {
    const legs = [leg(A, 'tx-1', 'credit', 50n), leg(A, 'tx-2', 'credit', 50n), leg(C, 'tx-3', 'debit', 100n)];
    const spent = debited('spend', 30n, { walletId: A });
    const history = { wallets: [...funded(A, 0n), ...funded(C, 100n), ...legEvents(legs), spent], group: [groupRecorded(legs)] };
    spec.given(history).when(reverseGroup()).thenThrows('INSUFFICIENT_FUNDS', 1);
  });

  describe('refusals', () => {
    const pendingPayment = [
      ...funded(A, 100n),
      ...funded(B, 0n),
      held('tx-1', 'debit', 60n, { walletId: A, groupId }),
      held('tx-2', 'credit', 60n, { walletId: B, groupId }),
    ];

    it.each<[string, GroupHistory]>([
      ['pending', { wallets: pendingPayment, group: [groupRecorded(payment, { pending: true })] }],
      ['rejected', { wallets: pendingPayment, group: [groupRecorded(payment, { pending: true }), groupRejected('no')] }],
      ['already reversed', { ...paid, group: [...paid.group!, groupReversed('group-0-reversal')] }],
      ['itself a reversal', { ...paid, group: [groupRecorded(payment, { reversalOf: 'group-0' })] }],
    ])('GROUP_NOT_REVERSIBLE for a group %s', (_label, history) => {
      spec.given(history).when(reverseGroup()).thenThrows('GROUP_NOT_REVERSIBLE', null);
    });

    it('GROUP_NOT_FOUND for a group never recorded', () => {
      spec.given({ wallets: paid.wallets! }).when(reverseGroup()).thenThrows('GROUP_NOT_FOUND', null);
    });

    it('GROUP_NOT_FOUND for an owner key that does not hold every wallet of the group', () => {
      const history = { wallets: [...funded(A, 100n), ...funded(B, 0n, [{ ownerType: 'user', ownerRef: 'u-2' }]), ...legEvents(payment)], group: [groupRecorded(payment)] };
      spec.given(history).when(reverseGroup({ actingFor: owner })).thenThrows('GROUP_NOT_FOUND', null);
    });

    it('INSUFFICIENT_FUNDS naming the leg when one wallet no longer has what it received', () => {
      const spent = debited('spend', 30n, { walletId: B });
      spec.given({ ...paid, wallets: [...paid.wallets!, spent] }).when(reverseGroup()).thenThrows('INSUFFICIENT_FUNDS', 1);
    });

    it('FORBIDDEN for an owner key when the reversal would create money for it', () => {
      const unbalanced = [leg(A, 'tx-1', 'debit', 60n), leg(B, 'tx-2', 'credit', 40n)];
      const history = { wallets: [...funded(A, 100n), ...funded(B, 0n), ...legEvents(unbalanced)], group: [groupRecorded(unbalanced)] };
      spec.given(history).when(reverseGroup({ actingFor: owner })).thenThrows('FORBIDDEN', null);
      expect(spec.given(history).when(reverseGroup()).thenWallets().size).toBe(2);
    });

    it('TRANSACTION_ALREADY_EXISTS naming the leg when a reversal id is taken on its wallet', () => {
      spec.given(paid).when(reverseGroup({ reversalTransactionIds: ['tx-1', 'rev-1'] })).thenThrows('TRANSACTION_ALREADY_EXISTS', 0);
    });
  });
});
