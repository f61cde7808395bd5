import {
  addWalletOwner,
  confirm,
  confirmGroup,
  credit,
  credited,
  debit,
  groupId,
  groupRecorded,
  held,
  leg,
  openWallet,
  opened,
  ownerAdded,
  recordGroup,
  reject,
  rejectGroup,
  walletDeciderSpec,
} from '@wallet/testing';
import { DomainError } from './domain-error';
import { decideGroup } from './group.decide';
import { foldGroup } from './group.evolve';
import { initialGroupState } from './group.state';
import { decideWallet } from './wallet.decide';
import type { WalletEvent } from './wallet.events';
import { evolveWallet, foldWallet } from './wallet.evolve';
import { initialWalletState } from './wallet.state';

const spec = walletDeciderSpec();

/** The builders' wallets belong to user u-1. */
const holder = { ownerType: 'user', ownerRef: 'u-1' };
const stranger = { ownerType: 'user', ownerRef: 'u-2' };

describe('owner-scoped commands on one wallet', () => {
  const history = [opened(), credited('tx-0', 100n), held('tx-h', 'debit', 30n)];

  it.each([
    ['a credit', credit(10n, { actingFor: stranger })],
    ['a debit', debit(10n, { actingFor: stranger })],
    ['a confirm', confirm('tx-h', { actingFor: stranger })],
    ['a reject', reject('tx-h', { actingFor: stranger })],
    ['adding an owner', addWalletOwner('u-9', { actingFor: stranger })],
  ])('%s for an owner who does not hold the wallet: WALLET_NOT_FOUND, as for a wallet that does not exist', (_name, command) => {
    spec.given(history).when(command).thenThrows('WALLET_NOT_FOUND');
  });

  it('a credit for an owner, even on its own wallet: FORBIDDEN (an owner-bound key cannot create money)', () => {
    spec.given(history).when(credit(10n, { actingFor: holder })).thenThrows('FORBIDDEN');
    spec.given(history).when(credit(10n, { actingFor: holder, pending: true })).thenThrows('FORBIDDEN');
  });

  it('the holder may confirm a pending credit the platform placed', () => {
    const withCredit = [...history, held('tx-c', 'credit', 7n)];
    const [event] = decideWallet(confirm('tx-c', { actingFor: holder }), withCredit.reduce(evolveWallet, initialWalletState));
    expect(event?.type).toBe('HoldConfirmed');
  });

  it('the holder acts as any caller would', () => {
    spec.given(history).when(debit(10n, { actingFor: holder })).then(decideWallet(debit(10n), history.reduce(evolveWallet, initialWalletState)));
  });

  it('a joint owner added later may act too', () => {
    spec
      .given([...history, ownerAdded('u-2')])
      .when(debit(5n, { actingFor: stranger }))
      .then(decideWallet(debit(5n), [...history, ownerAdded('u-2')].reduce(evolveWallet, initialWalletState)));
  });

  it('opening a wallet for an owner adds that owner first, once', () => {
    const command = openWallet({ owners: [{ ownerType: 'user', ownerRef: 'u-7' }, stranger], actingFor: stranger });
    const [event] = decideWallet(command, initialWalletState);
    expect(event!.type === 'WalletOpened' && event.data.owners).toEqual([stranger, { ownerType: 'user', ownerRef: 'u-7' }]);
  });
});

describe('owner-scoped group commands', () => {
  const A = 'wallet-a';
  const B = 'wallet-b';
  const wallets = (extraOwnerOfB: WalletEvent[] = []) =>
    new Map([
      [A, foldWallet([opened({ walletId: A }), credited('seed-a', 100n, { walletId: A })])],
      [B, foldWallet([opened({ walletId: B, owners: [stranger] }), ...extraOwnerOfB])],
    ]);
  const legs = [leg(A, 'tx-1', 'debit', 40n), leg(B, 'tx-2', 'credit', 40n)];

  function refusal(run: () => unknown): DomainError {
    try {
      run();
    } catch (error) {
      if (error instanceof DomainError) return error;
    }
    throw new Error('expected a refusal');
  }

  it('a group with a leg on a wallet the owner does not hold: WALLET_NOT_FOUND naming that leg', () => {
    const error = refusal(() => decideGroup(recordGroup(legs, { actingFor: holder }), { ...initialGroupState, groupId }, wallets()));
    expect([error.code, error.details]).toEqual(['WALLET_NOT_FOUND', { legIndex: 1 }]);
  });

  it('the same group without an owner, or for an owner of both wallets, is recorded', () => {
    expect(decideGroup(recordGroup(legs), { ...initialGroupState, groupId }, wallets()).groupEvents).toHaveLength(1);
    const joint = wallets([ownerAdded('u-1', { walletId: B })]);
    expect(decideGroup(recordGroup(legs, { actingFor: holder }), { ...initialGroupState, groupId }, joint).groupEvents).toHaveLength(1);
  });

  it('a group of one owner may move money between its wallets but not create it: FORBIDDEN when credits exceed debits', () => {
    const joint = wallets([ownerAdded('u-1', { walletId: B })]);
    const more = [leg(A, 'tx-1', 'debit', 40n), leg(B, 'tx-2', 'credit', 41n)];
    expect(refusal(() => decideGroup(recordGroup(more, { actingFor: holder }), { ...initialGroupState, groupId }, joint)).code).toBe('FORBIDDEN');
    expect(decideGroup(recordGroup(more), { ...initialGroupState, groupId }, joint).groupEvents).toHaveLength(1);
  });

  it.each([
    ['confirming', confirmGroup({ actingFor: holder })],
    ['rejecting', rejectGroup(null, { actingFor: holder })],
  ])('%s a group that touches a wallet the owner does not hold: GROUP_NOT_FOUND', (_name, command) => {
    const pending = foldGroup([groupRecorded(legs, { pending: true })], { ...initialGroupState, groupId });
    const withHolds = new Map(wallets());
    withHolds.set(A, foldWallet([held('tx-1', 'debit', 40n, { walletId: A, groupId })], withHolds.get(A)!));
    withHolds.set(B, foldWallet([held('tx-2', 'credit', 40n, { walletId: B, groupId })], withHolds.get(B)!));
    expect(refusal(() => decideGroup(command, pending, withHolds)).code).toBe('GROUP_NOT_FOUND');
    expect(decideGroup({ ...command, actingFor: undefined }, pending, withHolds).groupEvents).toHaveLength(1);
  });
});
