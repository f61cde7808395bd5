import {
  T1,
  captured,
  confirmed,
  credited,
  debited,
  held,
  opened,
  refusal,
  rejected,
  reverse,
  reversed,
  walletDeciderSpec,
} from '@wallet/testing';
import { MAX_MINOR } from './money';
import { decideWallet } from './wallet.decide';
import type { WalletEvent } from './wallet.events';
import { foldWallet } from './wallet.evolve';
import { balanceOf } from './wallet.state';

const spec = walletDeciderSpec();
const iso = (date: Date): string => date.toISOString();

/** A wallet credited with 1000 (tx-0) that then paid 300 (tx-1): 700 on the ledger. */
const paid = [opened(), credited('tx-0', 1000n), debited('tx-1', 300n)];
/** The owner the wallet is opened with, acting through a key bound to it. */
const owner = { ownerType: 'user', ownerRef: 'u-1' };
/** A reversal of tx-1 of `amountMinor` as `reversalId`, recorded at T1. */
const refund = (amountMinor: bigint, reversalId = 'rev-1'): WalletEvent => reversed(reversalId, 'tx-1', 'credit', amountMinor, { recordedAt: iso(T1) });

describe('decideWallet: ReverseTransaction', () => {
  it('reverses all of a debit by default, as a new credit naming the original', () => {
    spec.given(paid).when(reverse('tx-1')).then([refund(300n)]);
  });

  it('records the reason as the description and keeps the metadata', () => {
    spec
      .given(paid)
      .when(reverse('tx-1', { reason: 'Returned', metadata: { rma: 'R-7' } }))
      .then([reversed('rev-1', 'tx-1', 'credit', 300n, { description: 'Returned', metadata: { rma: 'R-7' }, recordedAt: iso(T1) })]);
  });

  it('gives the money back and raises the original\'s reversed amount', () => {
    const state = spec.given(paid).when(reverse('tx-1')).thenState();
    expect(balanceOf(state)).toEqual({ ledgerMinor: 1000n, availableMinor: 1000n, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n });
    expect(state.settled.get('tx-1')).toEqual({ transactionType: 'debit', capturedMinor: 300n, reversedMinor: 300n, groupId: null, reversalOf: null });
    expect(state.settled.get('rev-1')).toEqual({ transactionType: 'credit', capturedMinor: 300n, reversedMinor: 0n, groupId: null, reversalOf: 'tx-1' });
  });

  it('reverses part of a debit', () => {
    spec.given(paid).when(reverse('tx-1', { amountMinor: 100n })).then([refund(100n)]);
  });

  it('reverses a credit as a debit', () => {
    spec.given(paid).when(reverse('tx-0', { amountMinor: 700n })).then([reversed('rev-1', 'tx-0', 'debit', 700n, { recordedAt: iso(T1) })]);
  });

  it('repeated partial reversals add up to what was captured, then refuse', () => {
    const history = [...paid, refund(100n, 'rev-1'), refund(100n, 'rev-2')];
    spec.given(history).when(reverse('tx-1', { reversalId: 'rev-3', amountMinor: 100n })).then([refund(100n, 'rev-3')]);
    spec.given(history).when(reverse('tx-1', { reversalId: 'rev-3' })).then([refund(100n, 'rev-3')]);
    spec.given(history).when(reverse('tx-1', { reversalId: 'rev-3', amountMinor: 101n })).thenThrows('REVERSAL_EXCEEDS_ORIGINAL');
    expect(foldWallet([...history, refund(100n, 'rev-3')]).settled.get('tx-1')).toMatchObject({ capturedMinor: 300n, reversedMinor: 300n });
  });

  it('a hold partly captured and then ended is reversible up to what it captured', () => {
    const endedByCapture = [opened(), credited('tx-0', 1000n), held('tx-1', 'debit', 300n), captured('tx-1', 'debit', 120n, { releasedMinor: 180n, final: true })];
    spec.given(endedByCapture).when(reverse('tx-1')).then([refund(120n)]);
    spec.given(endedByCapture).when(reverse('tx-1', { amountMinor: 121n })).thenThrows('REVERSAL_EXCEEDS_ORIGINAL');
    const endedByReject = [opened(), credited('tx-0', 1000n), held('tx-1', 'debit', 300n), captured('tx-1', 'debit', 120n), rejected('tx-1', 'debit', 180n)];
    spec.given(endedByReject).when(reverse('tx-1')).then([refund(120n)]);
  });

  it('a confirmed hold of a credit is reversed as a debit', () => {
    const history = [opened(), held('tx-1', 'credit', 50n), confirmed('tx-1', 'credit', 50n)];
    spec.given(history).when(reverse('tx-1')).then([reversed('rev-1', 'tx-1', 'debit', 50n, { recordedAt: iso(T1) })]);
  });

  it('an owner may reverse a credit on its own wallet: that moves no money to it', () => {
    spec.given(paid).when(reverse('tx-0', { amountMinor: 10n, actingFor: owner })).then([reversed('rev-1', 'tx-0', 'debit', 10n, { recordedAt: iso(T1) })]);
  });

  describe('refusals', () => {
    it('REVERSAL_EXCEEDS_ORIGINAL for more than was captured, reporting what is left', () => {
      spec.given(paid).when(reverse('tx-1', { amountMinor: 301n })).thenThrows('REVERSAL_EXCEEDS_ORIGINAL');
      const error = refusal(() => decideWallet(reverse('tx-1', { reversalId: 'rev-2', amountMinor: 201n }), foldWallet([...paid, refund(100n)])));
      expect(error).toMatchObject({ code: 'REVERSAL_EXCEEDS_ORIGINAL', details: { reversibleMinor: '200' } });
    });

    it('REVERSAL_EXCEEDS_ORIGINAL when nothing is left to reverse', () => {
      const error = refusal(() => decideWallet(reverse('tx-1', { reversalId: 'rev-2' }), foldWallet([...paid, refund(300n)])));
      expect(error).toMatchObject({ code: 'REVERSAL_EXCEEDS_ORIGINAL', details: { reversibleMinor: '0' } });
    });

    it.each([0n, -1n])('VALIDATION_FAILED for an amount of %p', (amountMinor) => {
      spec.given(paid).when(reverse('tx-1', { amountMinor })).thenThrows('VALIDATION_FAILED');
    });

    it.each<[string, WalletEvent[]]>([
      ['a pending hold', [opened(), credited('tx-0', 1000n), held('tx-1', 'debit', 300n)]],
      ['a pending hold already partly captured', [opened(), credited('tx-0', 1000n), held('tx-1', 'debit', 300n), captured('tx-1', 'debit', 100n)]],
      ['a rejected hold', [opened(), credited('tx-0', 1000n), held('tx-1', 'debit', 300n), rejected('tx-1', 'debit', 300n)]],
      ['a reversal', [...paid, reversed('tx-2', 'tx-1', 'credit', 300n)]],
    ])('TRANSACTION_NOT_REVERSIBLE for %s', (_label, history) => {
      const target = history.some((event) => event.type === 'TransactionReversed') ? 'tx-2' : 'tx-1';
      spec.given(history).when(reverse(target, { reversalId: 'rev-9' })).thenThrows('TRANSACTION_NOT_REVERSIBLE');
    });

    it('TRANSACTION_PART_OF_GROUP for a group\'s leg, naming the group', () => {
      const leg = [opened(), credited('tx-0', 1000n), debited('tx-1', 300n, { groupId: 'group-1' })];
      const error = refusal(() => decideWallet(reverse('tx-1'), foldWallet(leg)));
      expect(error).toMatchObject({ code: 'TRANSACTION_PART_OF_GROUP', details: { groupId: 'group-1' } });
    });

    it('TRANSACTION_NOT_FOUND for an unknown original', () => {
      spec.given(paid).when(reverse('tx-unknown')).thenThrows('TRANSACTION_NOT_FOUND');
    });

    it.each(['tx-0', 'rev-1'])('TRANSACTION_ALREADY_EXISTS when the reversal reuses the id %p', (reversalId) => {
      spec.given([...paid, refund(100n)]).when(reverse('tx-1', { reversalId, amountMinor: 1n })).thenThrows('TRANSACTION_ALREADY_EXISTS');
    });

    it('INSUFFICIENT_FUNDS when reversing a credit takes more than is available', () => {
      spec.given(paid).when(reverse('tx-0')).thenThrows('INSUFFICIENT_FUNDS');
      const withHold = [...paid, held('tx-2', 'debit', 650n)];
      spec.given(withHold).when(reverse('tx-0', { amountMinor: 51n })).thenThrows('INSUFFICIENT_FUNDS');
      spec.given(withHold).when(reverse('tx-0', { amountMinor: 50n })).then([reversed('rev-1', 'tx-0', 'debit', 50n, { recordedAt: iso(T1) })]);
    });

    it('FORBIDDEN when a key bound to an owner reverses a debit: that would create money for it', () => {
      spec.given(paid).when(reverse('tx-1', { actingFor: owner })).thenThrows('FORBIDDEN');
    });

    it('WALLET_NOT_FOUND for an owner that does not hold the wallet', () => {
      spec.given(paid).when(reverse('tx-0', { actingFor: { ownerType: 'user', ownerRef: 'u-2' } })).thenThrows('WALLET_NOT_FOUND');
    });

    it('BALANCE_LIMIT_EXCEEDED when reversing a debit would take the ledger past 2^63 - 1', () => {
      const full = [opened(), credited('tx-0', 100n), debited('tx-1', 100n), credited('tx-2', MAX_MINOR)];
      spec.given(full).when(reverse('tx-1')).thenThrows('BALANCE_LIMIT_EXCEEDED');
    });
  });
});
