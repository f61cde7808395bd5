import { T1, credit, credited, debit, debited, held, opened, record, refusal, rejected, reverse, reversed, walletDeciderSpec } from '@wallet/testing';
import type { WalletCommand } from './wallet.commands';
import { decideWallet } from './wallet.decide';
import type { WalletEvent } from './wallet.events';
import { foldWallet } from './wallet.evolve';
import { recordedTransaction } from './wallet.transactions';

const spec = walletDeciderSpec();
const at = T1.toISOString();
/** Why `command` was refused against the wallet of `history`. */
const refused = (history: WalletEvent[], command: WalletCommand) => refusal(() => decideWallet(command, foldWallet(history)));

/** Every way of recording a new transaction, with the given reference. */
const recordings = (reference: string | null | undefined): [string, WalletCommand][] => [
  ['a credit', credit(10n, { reference })],
  ['a debit', debit(10n, { reference })],
  ['a debit hold', debit(10n, { pending: true, reference })],
  ['a credit hold', credit(10n, { pending: true, reference })],
  ['a reversal', reverse('tx-1', { amountMinor: 10n, reference })],
];

describe('decideWallet: references', () => {
  /** 100 credited as tx-1, with reference inv-1. */
  const referenced = [opened(), credited('tx-1', 100n, { reference: 'inv-1' })];

  it('records the reference on the event of each kind of transaction', () => {
    const funded = [opened(), credited('tx-1', 100n)];
    spec.given(funded).when(credit(10n, { reference: 'r' })).then([credited('tx-new', 10n, { reference: 'r', recordedAt: at })]);
    spec.given(funded).when(debit(10n, { reference: 'r' })).then([debited('tx-new', 10n, { reference: 'r', recordedAt: at })]);
    spec.given(funded).when(debit(10n, { pending: true, reference: 'r' })).then([held('tx-new', 'debit', 10n, { reference: 'r', recordedAt: at })]);
    spec.given(funded).when(reverse('tx-1', { reference: 'r' })).then([reversed('rev-1', 'tx-1', 'debit', 100n, { reference: 'r', recordedAt: at })]);
  });

  it('a hold retried after its expiresAt learns which transaction holds its reference', () => {
    const expiredRetry = debit(10n, { pending: true, reference: 'inv-1', expiresAt: new Date(T1.getTime() - 1) });
    expect(refused(referenced, expiredRetry)).toMatchObject({ code: 'REFERENCE_ALREADY_USED', details: { existingId: 'tx-1' } });
  });

  it.each([undefined, null])('writes no reference field when the reference is %p', (reference) => {
    for (const [label, command] of recordings(reference)) {
      const [event] = decideWallet(command, foldWallet([opened(), credited('tx-1', 100n)]));
      expect({ label, hasReference: 'reference' in event!.data }).toEqual({ label, hasReference: false });
    }
  });

  it('keeps each reference in the state, naming its transaction', () => {
    const state = foldWallet([...referenced, held('h-1', 'debit', 5n, { reference: 'hold-1' }), reversed('rev-1', 'tx-1', 'debit', 5n, { reference: 'refund-1' })]);
    expect(Object.fromEntries(state.references)).toEqual({ 'inv-1': 'tx-1', 'hold-1': 'h-1', 'refund-1': 'rev-1' });
    expect(state.holds.get('h-1')?.reference).toBe('hold-1');
  });

  it('describes the reference on the transaction and its hold, null when there is none', () => {
    expect(recordedTransaction(held('h-1', 'debit', 5n, { reference: 'hold-1' })).reference).toBe('hold-1');
    expect(recordedTransaction(credited('tx-2', 5n)).reference).toBeNull();
    expect(foldWallet([opened(), held('h-1', 'debit', 5n)]).holds.get('h-1')?.reference).toBeNull();
  });

  it.each(recordings('inv-1'))('refuses %s reusing a reference of the wallet with REFERENCE_ALREADY_USED, naming the holder', (_label, command) => {
    expect(refused(referenced, command)).toMatchObject({ code: 'REFERENCE_ALREADY_USED', details: { existingId: 'tx-1' } });
  });

  it('refuses a reference a reversal or a hold took, naming that transaction', () => {
    const history = [...referenced, reversed('rev-1', 'tx-1', 'debit', 5n, { reference: 'refund-1' }), held('h-1', 'debit', 5n, { reference: 'hold-1' })];
    expect(refused(history, credit(1n, { reference: 'refund-1' }))).toMatchObject({ code: 'REFERENCE_ALREADY_USED', details: { existingId: 'rev-1' } });
    expect(refused(history, debit(1n, { reference: 'hold-1' }))).toMatchObject({ code: 'REFERENCE_ALREADY_USED', details: { existingId: 'h-1' } });
  });

  it('still refuses the reference of a hold that was rejected: a reference names one transaction for ever', () => {
    const history = [opened(), held('h-1', 'credit', 50n, { reference: 'order-9' }), rejected('h-1', 'credit', 50n)];
    expect(refused(history, credit(50n, { reference: 'order-9' }))).toMatchObject({ code: 'REFERENCE_ALREADY_USED', details: { existingId: 'h-1' } });
  });

  it('checks the reference before the funds', () => {
    expect(refused(referenced, debit(1_000n, { reference: 'inv-1' })).code).toBe('REFERENCE_ALREADY_USED');
    expect(refused(referenced, debit(1_000n, { reference: 'inv-2' })).code).toBe('INSUFFICIENT_FUNDS');
  });

  it('accepts a new reference beside the used ones', () => {
    spec.given(referenced).when(record({ transactionId: 'tx-2', reference: 'inv-2' })).then([credited('tx-2', 1n, { reference: 'inv-2', recordedAt: at })]);
  });
});
