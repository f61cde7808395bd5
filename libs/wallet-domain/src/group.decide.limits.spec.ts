import {
  T1,
  type GroupHistory,
  confirmGroup,
  credited,
  debited,
  groupDeciderSpec,
  groupId,
  groupRecorded,
  groupReferenceReserved,
  groupReversed,
  leg,
  opened,
  recordGroup,
  refusal,
  reverseGroup,
  reversed,
} from '@wallet/testing';
import type { GroupCommand } from './group.commands';
import { type GroupReferenceHolders, decideGroup, referencesOfGroupCommand } from './group.decide';
import type { GroupLeg } from './group.events';
import { foldGroup } from './group.evolve';
import type { OverdraftLimit, WalletEvent } from './wallet.events';
import { foldWallet } from './wallet.evolve';
import { balanceOf } from './wallet.state';

const A = 'wallet-a';
const B = 'wallet-b';
const SYSTEM = 'wallet-funding';
const REVERSAL = `${groupId}-reversal`;
const spec = groupDeciderSpec();
const iso = (date: Date): string => date.toISOString();

/** A USD wallet with `overdraftLimit`, credited with `amountMinor` when above 0. */
const wallet = (walletId: string, overdraftLimit: OverdraftLimit, amountMinor = 0n): WalletEvent[] => [
  opened({ walletId, overdraftLimit }),
  ...(amountMinor > 0n ? [credited(`seed-${walletId}`, amountMinor, { walletId })] : []),
];

/** `amountMinor` from `from` to `to`, as legs tx-1 and tx-2. */
const transfer = (from: string, to: string, amountMinor: bigint): GroupLeg[] => [leg(from, 'tx-1', 'debit', amountMinor), leg(to, 'tx-2', 'credit', amountMinor)];

/** The wallet events of a group recorded completed at once. */
const legEvents = (legs: readonly GroupLeg[]): WalletEvent[] =>
  legs.map(({ walletId, transactionId, transactionType, amountMinor }) =>
    transactionType === 'credit' ? credited(transactionId, amountMinor, { walletId, groupId }) : debited(transactionId, amountMinor, { walletId, groupId }),
  );

/** Why `command` was refused against `history`, decided as the command runner does. */
const refused = ({ wallets = [], group = [], referenceHolders }: GroupHistory, command: GroupCommand) => {
  const ids = [...new Set(wallets.map((event) => event.data.walletId))];
  const states = new Map(ids.map((id) => [id, foldWallet(wallets.filter((event) => event.data.walletId === id))]));
  return refusal(() => decideGroup(command, foldGroup(group), states, referenceHolders));
};

describe('decideGroup: overdraft limits on legs', () => {
  /** A may go 500 below 0 and holds 100: 600 may leave it. */
  const history = { wallets: [...wallet(A, 500n, 100n), ...wallet(B, 0n)] };

  it.each([false, true])('a leg may take available to exactly -limit (pending %p)', (pending) => {
    const after = spec.given(history).when(recordGroup(transfer(A, B, 600n), { pending })).thenWallets();
    expect(balanceOf(after.get(A)!).availableMinor).toBe(-500n);
  });

  it.each([false, true])('a leg one below -limit refuses the group with INSUFFICIENT_FUNDS, naming the leg (pending %p)', (pending) => {
    spec.given(history).when(recordGroup(transfer(A, B, 601n), { pending })).thenThrows('INSUFFICIENT_FUNDS', 0);
  });

  it("judges a wallet's legs together against its limit", () => {
    const legs = [leg(A, 'tx-1', 'debit', 300n), leg(A, 'tx-2', 'debit', 301n), leg(B, 'tx-3', 'credit', 601n)];
    spec.given(history).when(recordGroup(legs)).thenThrows('INSUFFICIENT_FUNDS', 1);
  });

  it('a reversal leg that debits may take its wallet to exactly -limit, and no further', () => {
    const paid = transfer(A, B, 300n);
    /** B (limit 200) received 300 and spent `spentMinor` of it: reversing the 300 takes it to -spentMinor. */
    const spent = (spentMinor: bigint) => [...wallet(A, 0n, 300n), ...wallet(B, 200n), ...legEvents(paid), debited('tx-b', spentMinor, { walletId: B })];
    const spentTooMuch = spent(201n);
    const spentToTheFloor = spent(200n);
    spec.given({ wallets: spentTooMuch, group: [groupRecorded(paid)] }).when(reverseGroup()).thenThrows('INSUFFICIENT_FUNDS', 1);
    const after = spec.given({ wallets: spentToTheFloor, group: [groupRecorded(paid)] }).when(reverseGroup()).thenWallets();
    expect(balanceOf(after.get(B)!).availableMinor).toBe(-200n);
  });

  it('a system wallet ("unlimited") funds a user wallet far beyond any balance', () => {
    const funding = { wallets: [...wallet(SYSTEM, 'unlimited'), ...wallet(B, 0n)] };
    const after = spec.given(funding).when(recordGroup(transfer(SYSTEM, B, 10n ** 15n))).thenWallets();
    expect(balanceOf(after.get(SYSTEM)!).ledgerMinor).toBe(-(10n ** 15n));
    expect(balanceOf(after.get(B)!).ledgerMinor).toBe(10n ** 15n);
  });
});

describe('decideGroup: group references', () => {
  const history = { wallets: [...wallet(A, 0n, 100n), ...wallet(B, 0n)] };
  const legs = transfer(A, B, 60n);
  const holders = (entries: [string, string][]): GroupReferenceHolders => new Map(entries);

  it('records a free reference on the new group and reserves it for that group', () => {
    spec.given(history).when(recordGroup(legs, { reference: 'pay-1' })).then({
      group: [groupRecorded(legs, { reference: 'pay-1', recordedAt: iso(T1) })],
      wallets: {
        [A]: [debited('tx-1', 60n, { walletId: A, groupId, recordedAt: iso(T1) })],
        [B]: [credited('tx-2', 60n, { walletId: B, groupId, recordedAt: iso(T1) })],
      },
      referenceReserved: groupReferenceReserved('pay-1'),
    });
  });

  it.each([undefined, null])('reserves nothing and writes no reference when the reference is %p', (reference) => {
    const decision = spec.given(history).when(recordGroup(legs, { reference })).thenDecision();
    expect(decision.referenceReserved).toBeUndefined();
    expect(decision.groupEvents[0]!.data).not.toHaveProperty('reference');
  });

  it('gives the legs no reference of their own', () => {
    const decision = spec.given(history).when(recordGroup(legs, { reference: 'pay-1' })).thenDecision();
    for (const events of decision.walletEvents.values()) for (const event of events) expect(event.data).not.toHaveProperty('reference');
  });

  it('refuses a reference another group holds with REFERENCE_ALREADY_USED, naming that group and no leg', () => {
    const taken = { ...history, referenceHolders: holders([['pay-1', 'group-0']]) };
    spec.given(taken).when(recordGroup(legs, { reference: 'pay-1' })).thenThrows('REFERENCE_ALREADY_USED', null);
    expect(refused(taken, recordGroup(legs, { reference: 'pay-1' }))).toMatchObject({ code: 'REFERENCE_ALREADY_USED', details: { existingId: 'group-0' } });
  });

  it('checks the reference before the funds, and lets another free reference through', () => {
    const taken = { ...history, referenceHolders: holders([['pay-1', 'group-0']]) };
    expect(refused(taken, recordGroup(transfer(A, B, 1_000n), { reference: 'pay-1' })).code).toBe('REFERENCE_ALREADY_USED');
    expect(spec.given(taken).when(recordGroup(legs, { reference: 'pay-2' })).thenDecision().referenceReserved).toEqual(groupReferenceReserved('pay-2'));
  });

  describe('a reversal group', () => {
    const paid: GroupHistory = { wallets: [...history.wallets!, ...legEvents(legs)], group: [groupRecorded(legs, { reference: 'pay-1' })] };

    it('gets its own reference, reserved for the reversal group; the reversed group keeps its own', () => {
      const decision = spec.given(paid).when(reverseGroup({ reference: 'refund-1' })).thenDecision();
      expect(decision.referenceReserved).toEqual(groupReferenceReserved('refund-1', { groupId: REVERSAL }));
      expect(decision.reversalGroup!.groupEvents).toEqual([
        groupRecorded([leg(A, 'rev-0', 'credit', 60n), leg(B, 'rev-1', 'debit', 60n)], { groupId: REVERSAL, reversalOf: groupId, reference: 'refund-1', recordedAt: iso(T1) }),
      ]);
      expect(decision.groupEvents).toEqual([groupReversed(REVERSAL, { reversedAt: iso(T1) })]);
      expect(decision.walletEvents.get(A)).toEqual([reversed('rev-0', 'tx-1', 'credit', 60n, { walletId: A, groupId: REVERSAL, recordedAt: iso(T1) })]);
    });

    it('reserves nothing without a reference', () => {
      expect(spec.given(paid).when(reverseGroup()).thenDecision().referenceReserved).toBeUndefined();
    });

    it("refuses a reference already held, the original group's own included, naming its holder", () => {
      const taken = { ...paid, referenceHolders: holders([['pay-1', groupId]]) };
      expect(refused(taken, reverseGroup({ reference: 'pay-1' }))).toMatchObject({ code: 'REFERENCE_ALREADY_USED', details: { existingId: groupId } });
    });
  });

  it('lists the references a command would take, for the runner to look up', () => {
    expect(referencesOfGroupCommand(recordGroup(legs, { reference: 'pay-1' }))).toEqual(['pay-1']);
    expect(referencesOfGroupCommand(recordGroup(legs))).toEqual([]);
    expect(referencesOfGroupCommand(reverseGroup({ reference: 'refund-1' }))).toEqual(['refund-1']);
    expect(referencesOfGroupCommand(confirmGroup())).toEqual([]);
  });
});
