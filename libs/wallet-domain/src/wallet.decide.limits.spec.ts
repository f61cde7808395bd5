import {
  T1,
  credit,
  credited,
  debit,
  debited,
  held,
  increase,
  limitSet,
  openWallet,
  opened,
  refusal,
  reverse,
  setOverdraftLimit,
  walletDeciderSpec,
} from '@wallet/testing';
import { MAX_MINOR } from './money';
import type { WalletCommand } from './wallet.commands';
import { decideWallet } from './wallet.decide';
import type { OverdraftLimit, WalletEvent } from './wallet.events';
import { foldWallet } from './wallet.evolve';
import { balanceOf } from './wallet.state';

const spec = walletDeciderSpec();
const iso = (date: Date): string => date.toISOString();
/** The owner the builders' wallets are held by, as an owner-bound key acts for it. */
const owner = { ownerType: 'user', ownerRef: 'u-1' };
/** Why `command` was refused against the wallet of `history`. */
const refused = (history: WalletEvent[], command: WalletCommand) => refusal(() => decideWallet(command, foldWallet(history)));
/** `available` after `command` is decided and applied. */
const availableAfter = (history: WalletEvent[], command: WalletCommand): bigint => balanceOf(spec.given(history).when(command).thenState()).availableMinor;

describe('decideWallet: overdraft limits', () => {
  describe('OpenWallet', () => {
    it.each<OverdraftLimit>([500n, MAX_MINOR, 'unlimited'])('records a limit of %p on WalletOpened and in the state', (overdraftLimit) => {
      spec.given([]).when(openWallet({ overdraftLimit })).then([opened({ overdraftLimit })]);
      expect(spec.given([]).when(openWallet({ overdraftLimit })).thenState().overdraftLimit).toBe(overdraftLimit);
    });

    it.each([undefined, 0n])('opens with limit 0 when given %p, and the event carries no limit field', (overdraftLimit) => {
      const [event] = decideWallet(openWallet({ overdraftLimit }), foldWallet([]));
      expect(event).toEqual(opened());
      expect(event!.data).not.toHaveProperty('overdraftLimit');
      expect(foldWallet([event!]).overdraftLimit).toBe(0n);
    });

    it.each([MAX_MINOR + 1n, 2n ** 64n, -1n])('refuses a limit of %p with VALIDATION_FAILED', (overdraftLimit) => {
      spec.given([]).when(openWallet({ overdraftLimit })).thenThrows('VALIDATION_FAILED');
    });

    it.each<OverdraftLimit>([1n, 'unlimited'])('refuses a limit of %p from a key bound to an owner with FORBIDDEN', (overdraftLimit) => {
      spec.given([]).when(openWallet({ overdraftLimit, actingFor: owner })).thenThrows('FORBIDDEN');
    });

    it('lets a key bound to an owner open a wallet with limit 0', () => {
      spec.given([]).when(openWallet({ overdraftLimit: 0n, actingFor: owner })).then([opened()]);
    });
  });

  describe('SetOverdraftLimit', () => {
    it('raises the limit: the event names the new limit and the state keeps it', () => {
      spec.given([opened({ overdraftLimit: 100n })]).when(setOverdraftLimit(500n)).then([limitSet(500n, { setAt: iso(T1) })]);
      expect(spec.given([opened({ overdraftLimit: 100n })]).when(setOverdraftLimit(500n)).thenState().overdraftLimit).toBe(500n);
    });

    describe('lowering it below what the wallet uses', () => {
      /** Limit 500, a confirmed debit of 100 and a pending one of 200: available is -300. */
      const inUse = [opened({ overdraftLimit: 500n }), debited('tx-1', 100n), held('h-1', 'debit', 200n)];

      it('allows exactly the usage, pending debits included', () => {
        spec.given(inUse).when(setOverdraftLimit(300n)).then([limitSet(300n, { setAt: iso(T1) })]);
      });

      it.each([299n, 0n])('refuses %p with OVERDRAFT_LIMIT_BELOW_USAGE, naming the available balance', (overdraftLimit) => {
        const error = refused(inUse, setOverdraftLimit(overdraftLimit));
        expect(error).toMatchObject({ code: 'OVERDRAFT_LIMIT_BELOW_USAGE', details: { availableMinor: '-300' } });
      });

      it('allows any limit, 0 included, while the balance is not negative', () => {
        spec.given([opened({ overdraftLimit: 500n }), credited('tx-1', 10n)]).when(setOverdraftLimit(0n)).then([limitSet(0n, { setAt: iso(T1) })]);
      });
    });

    it('turns a wallet into a system wallet ("unlimited") and back to a limit it already meets', () => {
      const system = [opened({ overdraftLimit: 100n }), limitSet('unlimited'), debited('tx-1', 10_000n)];
      spec.given([opened({ overdraftLimit: 100n })]).when(setOverdraftLimit('unlimited')).then([limitSet('unlimited', { setAt: iso(T1) })]);
      spec.given(system).when(setOverdraftLimit(10_000n)).then([limitSet(10_000n, { setAt: iso(T1) })]);
      expect(refused(system, setOverdraftLimit(9_999n))).toMatchObject({ code: 'OVERDRAFT_LIMIT_BELOW_USAGE', details: { availableMinor: '-10000' } });
    });

    it.each<OverdraftLimit>([0n, 500n, 'unlimited'])('refuses any limit (%p) from a key bound to the owner with FORBIDDEN', (overdraftLimit) => {
      spec.given([opened()]).when(setOverdraftLimit(overdraftLimit, { actingFor: owner })).thenThrows('FORBIDDEN');
    });

    it('answers WALLET_NOT_FOUND to an owner key on a wallet it does not hold, and on a wallet never opened', () => {
      spec.given([opened()]).when(setOverdraftLimit(5n, { actingFor: { ownerType: 'user', ownerRef: 'u-9' } })).thenThrows('WALLET_NOT_FOUND');
      spec.given([]).when(setOverdraftLimit(5n)).thenThrows('WALLET_NOT_FOUND');
    });

    it('accepts 2^63 - 1 and refuses anything above it, or below 0, with VALIDATION_FAILED', () => {
      spec.given([opened()]).when(setOverdraftLimit(MAX_MINOR)).then([limitSet(MAX_MINOR, { setAt: iso(T1) })]);
      spec.given([opened()]).when(setOverdraftLimit(MAX_MINOR + 1n)).thenThrows('VALIDATION_FAILED');
      spec.given([opened()]).when(setOverdraftLimit(-1n)).thenThrows('VALIDATION_FAILED');
    });

    it('moves the floor for every later debit', () => {
      const lowered = [opened({ overdraftLimit: 500n }), limitSet(100n)];
      expect(availableAfter(lowered, debit(100n))).toBe(-100n);
      expect(refused(lowered, debit(101n))).toMatchObject({ code: 'INSUFFICIENT_FUNDS', details: { availableMinor: '0' } });
    });
  });

  describe('the floor: available may reach -limit and no further', () => {
    /** Limit 500 and 100 credited: 600 may leave. */
    const limited = [opened({ overdraftLimit: 500n }), credited('tx-0', 100n)];
    /** Limit 500, 400 credited as tx-in, then 700 debited: available -300, so 200 of tx-in may be reversed. */
    const spent = [opened({ overdraftLimit: 500n }), credited('tx-in', 400n), debited('tx-out', 700n)];
    /** Limit 500 and a debit hold of 100 on nothing: available -100, so the hold may grow by 400. */
    const holding = [opened({ overdraftLimit: 500n }), held('h-1', 'debit', 100n)];

    it.each<[string, WalletEvent[], (amountMinor: bigint) => WalletCommand, bigint, string]>([
      ['a confirmed debit', limited, (amountMinor) => debit(amountMinor), 600n, '100'],
      ['a debit hold', limited, (amountMinor) => debit(amountMinor, { pending: true }), 600n, '100'],
      ['an increase of a debit hold', holding, (amountMinor) => increase('h-1', amountMinor), 400n, '-100'],
      ['a debit reversal of a credit', spent, (amountMinor) => reverse('tx-in', { amountMinor }), 200n, '-300'],
    ])('%s: allowed to exactly -limit, refused one below with INSUFFICIENT_FUNDS', (_label, history, command, atTheFloor, availableMinor) => {
      expect(availableAfter(history, command(atTheFloor))).toBe(-500n);
      expect(refused(history, command(atTheFloor + 1n))).toMatchObject({ code: 'INSUFFICIENT_FUNDS', details: { availableMinor } });
    });

    it('a credit is never held back by the floor, and lifts it', () => {
      const overdrawn = [opened({ overdraftLimit: 500n }), debited('tx-1', 500n)];
      expect(availableAfter(overdrawn, credit(1n))).toBe(-499n);
    });
  });

  describe('system wallets ("unlimited")', () => {
    const system = opened({ overdraftLimit: 'unlimited' });

    it('go as far negative as needed, confirmed or pending', () => {
      const deep = [system, debited('tx-1', 10n ** 18n), debited('tx-2', 10n ** 18n)];
      expect(availableAfter(deep, debit(10n ** 18n))).toBe(-3n * 10n ** 18n);
      expect(availableAfter(deep, debit(10n ** 18n, { pending: true }))).toBe(-3n * 10n ** 18n);
      expect(availableAfter([system], debit(MAX_MINOR))).toBe(-MAX_MINOR);
    });

    it('refuse with BALANCE_LIMIT_EXCEEDED a debit that would take available below -(2^63 - 1)', () => {
      const bottom = [system, debited('tx-1', MAX_MINOR)];
      expect(refused(bottom, debit(1n)).code).toBe('BALANCE_LIMIT_EXCEEDED');
      expect(refused(bottom, debit(1n, { pending: true })).code).toBe('BALANCE_LIMIT_EXCEEDED');
      expect(refused([system, held('h-1', 'debit', MAX_MINOR)], increase('h-1', 1n)).code).toBe('BALANCE_LIMIT_EXCEEDED');
    });

    it('refuse with BALANCE_LIMIT_EXCEEDED a hold that would take pending debits past 2^63 - 1, not a confirmed debit', () => {
      const heldAll = [system, credited('tx-0', MAX_MINOR), held('h-1', 'debit', MAX_MINOR)];
      expect(refused(heldAll, debit(1n, { pending: true })).code).toBe('BALANCE_LIMIT_EXCEEDED');
      expect(refused(heldAll, increase('h-1', 1n)).code).toBe('BALANCE_LIMIT_EXCEEDED');
      expect(availableAfter(heldAll, debit(1n))).toBe(-1n);
    });

    it('a limited wallet is kept inside int8 too: pending debits stay at most 2^63 - 1', () => {
      const heldAll = [opened({ overdraftLimit: MAX_MINOR }), credited('tx-0', MAX_MINOR), held('h-1', 'debit', MAX_MINOR)];
      expect(refused(heldAll, debit(1n, { pending: true })).code).toBe('BALANCE_LIMIT_EXCEEDED');
    });
  });
});
