import {
  T1,
  T2,
  addWalletOwner,
  confirm,
  confirmed,
  credit,
  credited,
  debit,
  debited,
  held,
  ms,
  openWallet,
  opened,
  ownersN,
  record,
  reject,
  rejected,
  walletDeciderSpec,
  walletId,
} from '@wallet/testing';
import { DomainError } from './domain-error';
import { MAX_MINOR } from './money';
import type { WalletCommand } from './wallet.commands';
import { OWNERS_MAX, decideWallet } from './wallet.decide';
import type { WalletEvent } from './wallet.events';
import { evolveWallet } from './wallet.evolve';
import { type WalletState, initialWalletState } from './wallet.state';

const spec = walletDeciderSpec();

describe('decideWallet rejections', () => {
  describe('WALLET_NOT_FOUND', () => {
    it.each<[string, WalletCommand]>([
      ['AddWalletOwner', addWalletOwner('u-9')],
      ['RecordTransaction (credit)', credit(10n)],
      ['RecordTransaction (pending debit)', debit(10n, { pending: true })],
      ['ConfirmTransaction', confirm('tx-1')],
      ['RejectTransaction', reject('tx-1')],
    ])('%s on a wallet never opened', (_name, command) => {
      spec.given([]).when(command).thenThrows('WALLET_NOT_FOUND');
    });
  });

  it('WALLET_ALREADY_EXISTS when opening twice', () => {
    spec.given([opened()]).when(openWallet()).thenThrows('WALLET_ALREADY_EXISTS');
  });

  describe('VALIDATION_FAILED', () => {
    it.each([0n, -1n, -MAX_MINOR, MAX_MINOR + 1n, 2n ** 64n])('amount %p', (amountMinor) => {
      spec.given([opened(), credited('tx-0', 100n)]).when(credit(amountMinor)).thenThrows('VALIDATION_FAILED');
      spec.given([opened(), credited('tx-0', 100n)]).when(debit(amountMinor, { pending: true })).thenThrows('VALIDATION_FAILED');
    });

    it('accepts the largest amount, 2^63 - 1', () => {
      expect(decideWallet(credit(MAX_MINOR), evolveWallet(initialWalletState, opened()))).toHaveLength(1);
    });

    it.each(['XYZ', 'usd', 'US', 'USDT', ''])('unknown currency %p', (currency) => {
      spec.given([]).when(openWallet({ currency })).thenThrows('VALIDATION_FAILED');
    });

    it('expiresAt on a non-pending transaction', () => {
      spec.given([opened()]).when(record({ pending: false, expiresAt: T2 })).thenThrows('VALIDATION_FAILED');
    });

    it.each([
      ['in the past', ms(T1, -1)],
      ['equal to now', T1],
    ])('expiresAt %s', (_label, expiresAt) => {
      spec.given([opened()]).when(record({ pending: true, expiresAt, now: T1 })).thenThrows('VALIDATION_FAILED');
    });
  });

  describe('INSUFFICIENT_FUNDS', () => {
    it.each([false, true])('debit beyond available (pending: %p)', (pending) => {
      spec.given([opened()]).when(debit(1n, { pending })).thenThrows('INSUFFICIENT_FUNDS');
      spec.given([opened(), credited('tx-0', 100n)]).when(debit(101n, { pending })).thenThrows('INSUFFICIENT_FUNDS');
    });

    it.each([false, true])('debit of exactly the available amount succeeds (pending: %p)', (pending) => {
      const state = [opened(), credited('tx-0', 100n), held('tx-h', 'debit', 60n)].reduce(evolveWallet, initialWalletState);
      expect(decideWallet(debit(40n, { pending }), state)).toHaveLength(1);
    });

    it('counts funds reserved by a pending debit', () => {
      spec.given([opened(), credited('tx-0', 100n), held('tx-h', 'debit', 60n)]).when(debit(41n)).thenThrows('INSUFFICIENT_FUNDS');
    });

    it('does not count a pending credit as available', () => {
      spec.given([opened(), held('tx-h', 'credit', 500n)]).when(debit(1n)).thenThrows('INSUFFICIENT_FUNDS');
    });

    it('frees funds again when the reserving hold is rejected', () => {
      const history = [opened(), credited('tx-0', 100n), held('tx-h', 'debit', 60n), rejected('tx-h', 'debit', 60n)];
      expect(decideWallet(debit(100n), history.reduce(evolveWallet, initialWalletState))).toHaveLength(1);
    });

    it('is a DomainError that reports the available amount', () => {
      const state = [opened(), credited('tx-0', 100n), held('tx-h', 'debit', 60n)].reduce(evolveWallet, initialWalletState);
      let thrown: unknown;
      try {
        decideWallet(debit(41n), state);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(DomainError);
      expect(thrown).toMatchObject({ code: 'INSUFFICIENT_FUNDS', details: { availableMinor: '40' } });
    });
  });

  it.each([
    ['ConfirmTransaction', confirm('tx-unknown')],
    ['RejectTransaction', reject('tx-unknown')],
  ])('TRANSACTION_NOT_FOUND: %s of an unknown id', (_name, command) => {
    spec.given([opened(), held('tx-1', 'credit', 5n)]).when(command).thenThrows('TRANSACTION_NOT_FOUND');
  });

  describe('TRANSACTION_NOT_PENDING', () => {
    const histories: [string, WalletEvent[]][] = [
      ['a confirmed hold', [opened(), held('tx-1', 'credit', 5n), confirmed('tx-1', 'credit', 5n)]],
      ['a rejected hold', [opened(), held('tx-1', 'credit', 5n), rejected('tx-1', 'credit', 5n)]],
      ['a credit confirmed at once', [opened(), credited('tx-1', 5n)]],
      ['a debit confirmed at once', [opened(), credited('tx-0', 5n), debited('tx-1', 5n)]],
    ];
    it.each(histories)('confirm of %s', (_label, history) => {
      spec.given(history).when(confirm('tx-1')).thenThrows('TRANSACTION_NOT_PENDING');
    });
    it.each(histories)('reject of %s', (_label, history) => {
      spec.given(history).when(reject('tx-1')).thenThrows('TRANSACTION_NOT_PENDING');
    });
  });

  describe('HOLD_EXPIRED', () => {
    const history = [opened(), credited('tx-0', 100n), held('tx-1', 'debit', 30n, { expiresAt: T2.toISOString() })];

    it.each([
      ['at expiresAt', T2],
      ['after expiresAt', ms(T2, 1)],
    ])('confirm %s', (_label, now) => {
      spec.given(history).when(confirm('tx-1', { now })).thenThrows('HOLD_EXPIRED');
    });

    it('confirm one millisecond before expiresAt succeeds', () => {
      const [event] = decideWallet(confirm('tx-1', { now: ms(T2, -1) }), history.reduce(evolveWallet, initialWalletState));
      expect(event?.type).toBe('HoldConfirmed');
    });

    it('reject after expiry is still allowed', () => {
      spec
        .given(history)
        .when(reject('tx-1', { now: ms(T2, 1000) }))
        .then([
          {
            type: 'HoldRejected',
            data: {
              walletId,
              transactionId: 'tx-1',
              transactionType: 'debit',
              amountMinor: 30n,
              reason: null,
              rejectedAt: '2025-01-01T02:00:01.000Z',
            },
          },
        ]);
    });
  });

  describe('BALANCE_LIMIT_EXCEEDED', () => {
    it('a confirmed credit past 2^63 - 1', () => {
      spec.given([opened(), credited('tx-0', MAX_MINOR - 1n)]).when(credit(2n)).thenThrows('BALANCE_LIMIT_EXCEEDED');
    });

    it('a confirmed credit up to exactly 2^63 - 1 succeeds', () => {
      const state = [opened(), credited('tx-0', MAX_MINOR - 1n)].reduce(evolveWallet, initialWalletState);
      expect(decideWallet(credit(1n), state)).toHaveLength(1);
    });

    it('a pending credit that pushes pending credits past 2^63 - 1', () => {
      spec.given([opened(), held('tx-0', 'credit', MAX_MINOR)]).when(credit(1n, { pending: true })).thenThrows('BALANCE_LIMIT_EXCEEDED');
    });

    it('confirming a pending credit that would push the ledger past 2^63 - 1', () => {
      const history = [opened(), credited('tx-0', MAX_MINOR - 5n), held('tx-1', 'credit', 10n)];
      spec.given(history).when(confirm('tx-1')).thenThrows('BALANCE_LIMIT_EXCEEDED');
    });
  });

  describe('OWNER_LIMIT_REACHED', () => {
    const addOwner = addWalletOwner('new');

    it(`adding owner number ${OWNERS_MAX + 1}`, () => {
      expect(OWNERS_MAX).toBe(100);
      spec.given([opened({ owners: ownersN(100) })]).when(addOwner).thenThrows('OWNER_LIMIT_REACHED');
    });

    it('adding owner number 100 succeeds', () => {
      expect(decideWallet(addOwner, evolveWallet(initialWalletState, opened({ owners: ownersN(99) })))).toHaveLength(1);
    });

    it('re-adding an existing owner of a full wallet yields no events', () => {
      spec
        .given([opened({ owners: ownersN(100) })])
        .when(addWalletOwner('u-42'))
        .then([]);
    });

    it('opening with 101 distinct owners', () => {
      spec.given([]).when(openWallet({ owners: ownersN(101) })).thenThrows('OWNER_LIMIT_REACHED');
    });

    it('opening with 101 entries of which 100 are distinct succeeds', () => {
      const [event] = decideWallet(openWallet({ owners: [...ownersN(100), { ownerType: 'user', ownerRef: 'u-0' }] }), initialWalletState);
      expect(event).toMatchObject({ type: 'WalletOpened', data: { owners: ownersN(100) } });
    });
  });

  /** A transaction id is recorded once: a reused one is refused and changes nothing. */
  describe('transaction id reuse', () => {
    const decideOrKeep = (command: WalletCommand, state: WalletState): WalletState => {
      try {
        return decideWallet(command, state).reduce(evolveWallet, state);
      } catch (error) {
        if (error instanceof DomainError) return state;
        throw error;
      }
    };

    it('re-recording a held id keeps pending debits equal to the holds', () => {
      const before = [opened(), credited('tx-0', 100n), held('tx-new', 'debit', 30n)].reduce(evolveWallet, initialWalletState);
      const state = decideOrKeep(debit(30n, { pending: true }), before);
      const heldDebits = [...state.holds.values()].reduce((sum, hold) => sum + hold.amountMinor, 0n);
      expect(state.pendingDebitsMinor).toBe(heldDebits);
    });

    it('re-recording a settled id does not move the ledger again', () => {
      const state = decideOrKeep(credit(100n), [opened(), credited('tx-new', 100n)].reduce(evolveWallet, initialWalletState));
      expect(state.ledgerMinor).toBe(100n);
    });
  });
});
