import {
  T1,
  T2,
  T3,
  captured,
  confirm,
  confirmed,
  credited,
  debited,
  expire,
  held,
  increase,
  increased,
  ms,
  opened,
  refusal,
  reject,
  rejected,
  walletDeciderSpec,
} from '@wallet/testing';
import { EXPIRED_REASON } from './group.commands';
import { MAX_MINOR } from './money';
import type { WalletCommand } from './wallet.commands';
import { decideWallet } from './wallet.decide';
import type { TransactionType, WalletEvent } from './wallet.events';
import { foldWallet } from './wallet.evolve';
import { balanceOf } from './wallet.state';
import { transactionAfter } from './wallet.transactions';

const spec = walletDeciderSpec();
const iso = (date: Date): string => date.toISOString();

/** A wallet with 1000 on its ledger holding tx-1, a debit of 300 that expires at T2. */
const funded = [opened(), credited('tx-0', 1000n)];
const holding = [...funded, held('tx-1', 'debit', 300n, { expiresAt: iso(T2) })];
/** The same hold after a non-final capture of 120: 180 still held. */
const partlyCaptured = [...holding, captured('tx-1', 'debit', 120n)];
/** The owner these specs' wallet is opened with, acting through a key bound to it. */
const owner = { ownerType: 'user', ownerRef: 'u-1' };

describe('decideWallet: ConfirmTransaction with an amount', () => {
  it.each([undefined, true])('a partial capture (final %p) captures it and releases the rest in one event', (final) => {
    spec
      .given(holding)
      .when(confirm('tx-1', { amountMinor: 120n, final }))
      .then([captured('tx-1', 'debit', 120n, { releasedMinor: 180n, final: true, capturedAt: iso(T1) })]);
  });

  it('a final partial capture moves the captured part to the ledger and frees the rest', () => {
    const state = spec.given(holding).when(confirm('tx-1', { amountMinor: 120n })).thenState();
    expect(balanceOf(state)).toEqual({ ledgerMinor: 880n, availableMinor: 880n, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n });
    expect(state.holds.has('tx-1')).toBe(false);
    expect(state.settled.get('tx-1')).toEqual({ transactionType: 'debit', capturedMinor: 120n, reversedMinor: 0n, groupId: null, reversalOf: null });
  });

  it('a non-final partial capture keeps the rest held', () => {
    spec
      .given(holding)
      .when(confirm('tx-1', { amountMinor: 120n, final: false }))
      .then([captured('tx-1', 'debit', 120n, { releasedMinor: 0n, final: false, capturedAt: iso(T1) })]);
    const state = spec.given(holding).when(confirm('tx-1', { amountMinor: 120n, final: false })).thenState();
    expect(balanceOf(state)).toEqual({ ledgerMinor: 880n, availableMinor: 700n, pendingDebitsMinor: 180n, pendingCreditsMinor: 0n });
    expect(state.holds.get('tx-1')).toMatchObject({ amountMinor: 300n, heldMinor: 180n, capturedMinor: 120n, releasedMinor: 0n });
  });

  it('later captures take from what is still held', () => {
    spec
      .given(partlyCaptured)
      .when(confirm('tx-1', { amountMinor: 80n, final: false }))
      .then([captured('tx-1', 'debit', 80n, { final: false, capturedAt: iso(T1) })]);
    spec
      .given(partlyCaptured)
      .when(confirm('tx-1', { amountMinor: 80n }))
      .then([captured('tx-1', 'debit', 80n, { releasedMinor: 100n, final: true, capturedAt: iso(T1) })]);
  });

  it('a final capture of all that is held is a HoldConfirmed', () => {
    spec.given(holding).when(confirm('tx-1', { amountMinor: 300n, final: true })).then([confirmed('tx-1', 'debit', 300n, { confirmedAt: iso(T1) })]);
    spec.given(partlyCaptured).when(confirm('tx-1', { amountMinor: 180n })).then([confirmed('tx-1', 'debit', 180n, { confirmedAt: iso(T1) })]);
  });

  it('a capture of all that is held with final: false keeps the hold open, holding nothing', () => {
    spec.given(holding).when(confirm('tx-1', { amountMinor: 300n, final: false })).then([captured('tx-1', 'debit', 300n, { capturedAt: iso(T1) })]);
    const state = spec.given(holding).when(confirm('tx-1', { amountMinor: 300n, final: false })).thenState();
    expect(state.holds.get('tx-1')).toMatchObject({ heldMinor: 0n, capturedMinor: 300n });
  });

  it('an emptied open hold refuses a further capture (AMOUNT_EXCEEDS_HOLD) and ends on a confirm with no amount', () => {
    const emptied = [...holding, captured('tx-1', 'debit', 300n)];
    spec.given(emptied).when(confirm('tx-1', { amountMinor: 1n, final: false })).thenThrows('AMOUNT_EXCEEDS_HOLD');
    spec.given(emptied).when(confirm('tx-1')).then([confirmed('tx-1', 'debit', 0n, { confirmedAt: iso(T1) })]);
  });

  it('an emptied open hold refuses a non-final confirm without an amount: it would capture nothing and end nothing', () => {
    const emptied = [...holding, captured('tx-1', 'debit', 300n)];
    spec.given(emptied).when(confirm('tx-1', { final: false })).thenThrows('AMOUNT_EXCEEDS_HOLD');
  });

  it('a confirm with no amount after partial captures confirms the rest', () => {
    spec.given(partlyCaptured).when(confirm('tx-1')).then([confirmed('tx-1', 'debit', 180n, { confirmedAt: iso(T1) })]);
    const state = spec.given(partlyCaptured).when(confirm('tx-1')).thenState();
    expect(balanceOf(state)).toEqual({ ledgerMinor: 700n, availableMinor: 700n, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n });
    expect(state.settled.get('tx-1')).toMatchObject({ capturedMinor: 300n });
  });

  it('a confirm with no amount after an increase confirms the increased amount', () => {
    spec.given([...holding, increased('tx-1', 'debit', 50n)]).when(confirm('tx-1')).then([confirmed('tx-1', 'debit', 350n, { confirmedAt: iso(T1) })]);
  });

  it('a pending credit is captured the same way, on the credit side', () => {
    const creditHold = [...funded, held('tx-1', 'credit', 300n)];
    spec.given(creditHold).when(confirm('tx-1', { amountMinor: 100n })).then([captured('tx-1', 'credit', 100n, { releasedMinor: 200n, final: true, capturedAt: iso(T1) })]);
    const state = spec.given(creditHold).when(confirm('tx-1', { amountMinor: 100n, final: false })).thenState();
    expect(balanceOf(state)).toEqual({ ledgerMinor: 1100n, availableMinor: 1100n, pendingDebitsMinor: 0n, pendingCreditsMinor: 200n });
  });

  describe('refusals', () => {
    it('AMOUNT_EXCEEDS_HOLD for more than is held, reporting what is held', () => {
      spec.given(holding).when(confirm('tx-1', { amountMinor: 301n })).thenThrows('AMOUNT_EXCEEDS_HOLD');
      spec.given(partlyCaptured).when(confirm('tx-1', { amountMinor: 181n, final: false })).thenThrows('AMOUNT_EXCEEDS_HOLD');
      const thrown = refusal(() => decideWallet(confirm('tx-1', { amountMinor: 181n }), foldWallet(partlyCaptured)));
      expect(thrown).toMatchObject({ code: 'AMOUNT_EXCEEDS_HOLD', details: { heldMinor: '180' } });
    });

    it.each([0n, -1n, MAX_MINOR + 1n])('VALIDATION_FAILED for an amount of %p', (amountMinor) => {
      spec.given(holding).when(confirm('tx-1', { amountMinor })).thenThrows('VALIDATION_FAILED');
    });

    it.each([
      ['at expiresAt', T2],
      ['after expiresAt', ms(T2, 1)],
    ])('HOLD_EXPIRED for a capture %s', (_label, now) => {
      spec.given(holding).when(confirm('tx-1', { amountMinor: 10n, now })).thenThrows('HOLD_EXPIRED');
    });

    it('a capture one millisecond before expiresAt succeeds', () => {
      spec
        .given(holding)
        .when(confirm('tx-1', { amountMinor: 10n, final: false, now: ms(T2, -1) }))
        .then([captured('tx-1', 'debit', 10n, { capturedAt: iso(ms(T2, -1)) })]);
    });

    it('HOLD_EXPIRED for a capture after the hold was rejected as expired, even after partial captures', () => {
      const expired = [...partlyCaptured, rejected('tx-1', 'debit', 180n, { reason: EXPIRED_REASON, rejectedAt: iso(T2) })];
      spec.given(expired).when(confirm('tx-1', { amountMinor: 10n, now: T3 })).thenThrows('HOLD_EXPIRED');
      spec.given(expired).when(confirm('tx-1', { now: T3 })).thenThrows('HOLD_EXPIRED');
    });

    it.each<[string, WalletEvent[]]>([
      ['a confirmed hold', [...holding, confirmed('tx-1', 'debit', 300n)]],
      ['a hold ended by a final capture', [...holding, captured('tx-1', 'debit', 120n, { releasedMinor: 180n, final: true })]],
      ['a hold rejected after a partial capture', [...partlyCaptured, rejected('tx-1', 'debit', 180n)]],
      ['a credit confirmed at once', [...funded, credited('tx-1', 5n)]],
    ])('TRANSACTION_NOT_PENDING for a capture of %s', (_label, history) => {
      spec.given(history).when(confirm('tx-1', { amountMinor: 1n })).thenThrows('TRANSACTION_NOT_PENDING');
    });

    it('TRANSACTION_PART_OF_GROUP for a capture of a group leg', () => {
      spec.given([...funded, held('tx-1', 'debit', 300n, { groupId: 'group-1' })]).when(confirm('tx-1', { amountMinor: 1n })).thenThrows('TRANSACTION_PART_OF_GROUP');
    });

    it('TRANSACTION_NOT_FOUND for a capture of an unknown id', () => {
      spec.given(holding).when(confirm('tx-unknown', { amountMinor: 1n })).thenThrows('TRANSACTION_NOT_FOUND');
    });

    it('BALANCE_LIMIT_EXCEEDED when a partial capture of a credit would take the ledger past 2^63 - 1', () => {
      const nearLimit = [opened(), credited('tx-0', MAX_MINOR - 5n), held('tx-1', 'credit', 10n)];
      spec.given(nearLimit).when(confirm('tx-1', { amountMinor: 6n })).thenThrows('BALANCE_LIMIT_EXCEEDED');
      spec.given(nearLimit).when(confirm('tx-1', { amountMinor: 5n })).then([captured('tx-1', 'credit', 5n, { releasedMinor: 5n, final: true, capturedAt: iso(T1) })]);
    });
  });
});

describe('decideWallet: IncreaseHold', () => {
  it('raises what a debit hold holds and reserves the extra funds', () => {
    spec.given(holding).when(increase('tx-1', 100n)).then([increased('tx-1', 'debit', 100n, { increasedAt: iso(T1) })]);
    const state = spec.given(holding).when(increase('tx-1', 100n)).thenState();
    expect(balanceOf(state)).toEqual({ ledgerMinor: 1000n, availableMinor: 600n, pendingDebitsMinor: 400n, pendingCreditsMinor: 0n });
    expect(state.holds.get('tx-1')).toMatchObject({ amountMinor: 400n, heldMinor: 400n, capturedMinor: 0n, releasedMinor: 0n });
  });

  it('raises what a credit hold holds, as pending credits', () => {
    const state = spec.given([...funded, held('tx-1', 'credit', 300n)]).when(increase('tx-1', 50n)).thenState();
    expect(balanceOf(state)).toEqual({ ledgerMinor: 1000n, availableMinor: 1000n, pendingDebitsMinor: 0n, pendingCreditsMinor: 350n });
  });

  it('after a partial capture, adds to what is still held', () => {
    const state = spec.given(partlyCaptured).when(increase('tx-1', 50n)).thenState();
    expect(state.holds.get('tx-1')).toMatchObject({ amountMinor: 350n, heldMinor: 230n, capturedMinor: 120n });
    expect(balanceOf(state)).toMatchObject({ ledgerMinor: 880n, pendingDebitsMinor: 230n });
  });

  it('an owner may increase a debit hold on its own wallet', () => {
    spec.given(holding).when(increase('tx-1', 10n, { actingFor: owner })).then([increased('tx-1', 'debit', 10n, { increasedAt: iso(T1) })]);
  });

  describe('refusals', () => {
    it('BALANCE_LIMIT_EXCEEDED when the authorised amount would pass 2^63 - 1, even with the held part captured and spent', () => {
      // A credit hold of MAX - 1 captured in full (still open), the money debited away: the
      // totals leave room, but the transaction's own amount would not fit.
      const spent = [opened(), held('tx-1', 'credit', MAX_MINOR - 1n), captured('tx-1', 'credit', MAX_MINOR - 1n), debited('tx-2', MAX_MINOR - 1n)];
      spec.given(spent).when(increase('tx-1', 2n)).thenThrows('BALANCE_LIMIT_EXCEEDED');
      spec.given(spent).when(increase('tx-1', 1n)).then([increased('tx-1', 'credit', 1n, { increasedAt: iso(T1) })]);
    });

    it('INSUFFICIENT_FUNDS when a debit increase exceeds what is available; exactly what is available succeeds', () => {
      spec.given(holding).when(increase('tx-1', 701n)).thenThrows('INSUFFICIENT_FUNDS');
      spec.given(holding).when(increase('tx-1', 700n)).then([increased('tx-1', 'debit', 700n, { increasedAt: iso(T1) })]);
    });

    it('FORBIDDEN when a key bound to an owner increases a credit hold: that would create money', () => {
      spec.given([...funded, held('tx-1', 'credit', 300n)]).when(increase('tx-1', 1n, { actingFor: owner })).thenThrows('FORBIDDEN');
    });

    it('BALANCE_LIMIT_EXCEEDED when a credit increase takes pending credits past 2^63 - 1', () => {
      spec.given([opened(), held('tx-1', 'credit', MAX_MINOR)]).when(increase('tx-1', 1n)).thenThrows('BALANCE_LIMIT_EXCEEDED');
    });

    it.each([0n, -5n])('VALIDATION_FAILED for an amount of %p', (amountMinor) => {
      spec.given(holding).when(increase('tx-1', amountMinor)).thenThrows('VALIDATION_FAILED');
    });

    it.each([
      ['at expiresAt', T2],
      ['after expiresAt', T3],
    ])('HOLD_EXPIRED %s', (_label, now) => {
      spec.given(holding).when(increase('tx-1', 1n, { now })).thenThrows('HOLD_EXPIRED');
    });

    it('HOLD_EXPIRED after the hold was rejected as expired', () => {
      spec.given([...holding, rejected('tx-1', 'debit', 300n, { reason: EXPIRED_REASON })]).when(increase('tx-1', 1n)).thenThrows('HOLD_EXPIRED');
    });

    it.each<[string, WalletEvent[]]>([
      ['a confirmed hold', [...holding, confirmed('tx-1', 'debit', 300n)]],
      ['a rejected hold', [...holding, rejected('tx-1', 'debit', 300n)]],
      ['a credit confirmed at once', [...funded, credited('tx-1', 5n)]],
    ])('TRANSACTION_NOT_PENDING for %s', (_label, history) => {
      spec.given(history).when(increase('tx-1', 1n)).thenThrows('TRANSACTION_NOT_PENDING');
    });

    it('TRANSACTION_PART_OF_GROUP for a group leg', () => {
      spec.given([...funded, held('tx-1', 'debit', 300n, { groupId: 'group-1' })]).when(increase('tx-1', 1n)).thenThrows('TRANSACTION_PART_OF_GROUP');
    });

    it('TRANSACTION_NOT_FOUND for an unknown id', () => {
      spec.given(holding).when(increase('tx-unknown', 1n)).thenThrows('TRANSACTION_NOT_FOUND');
    });

    it('WALLET_NOT_FOUND for an owner that does not hold the wallet', () => {
      spec.given(holding).when(increase('tx-1', 1n, { actingFor: { ownerType: 'user', ownerRef: 'u-2' } })).thenThrows('WALLET_NOT_FOUND');
    });
  });
});

describe('decideWallet: ending a partly captured hold releases only the rest', () => {
  it.each<TransactionType>(['debit', 'credit'])('a reject after partial captures of a %s releases what is still held', (type) => {
    const history = [...funded, held('tx-1', type, 300n), captured('tx-1', type, 120n)];
    spec.given(history).when(reject('tx-1', { reason: 'cancelled' })).then([rejected('tx-1', type, 180n, { reason: 'cancelled', rejectedAt: iso(T1) })]);
    const state = spec.given(history).when(reject('tx-1', { reason: 'cancelled' })).thenState();
    expect(balanceOf(state)).toEqual({
      ledgerMinor: type === 'debit' ? 880n : 1120n,
      availableMinor: type === 'debit' ? 880n : 1120n,
      pendingDebitsMinor: 0n,
      pendingCreditsMinor: 0n,
    });
    expect(state.settled.get('tx-1')).toMatchObject({ capturedMinor: 120n });
  });

  it('the transaction stays confirmed for what was captured, with the reject reason', () => {
    const before = foldWallet(partlyCaptured);
    const [event] = decideWallet(reject('tx-1', { reason: 'cancelled' }), before);
    expect(transactionAfter(before, event!)).toMatchObject({
      status: 'confirmed', amountMinor: 300n, heldMinor: 0n, capturedMinor: 120n, releasedMinor: 180n, rejectReason: 'cancelled', confirmRejectTimestamp: iso(T1),
    });
  });

  it('an expiry after partial captures releases the rest; a later capture or increase answers HOLD_EXPIRED', () => {
    spec.given(partlyCaptured).when(expire('tx-1', { now: T2 })).then([rejected('tx-1', 'debit', 180n, { reason: EXPIRED_REASON, rejectedAt: iso(T2) })]);
    const expired = [...partlyCaptured, rejected('tx-1', 'debit', 180n, { reason: EXPIRED_REASON, rejectedAt: iso(T2) })];
    const state = foldWallet(expired);
    expect(balanceOf(state)).toEqual({ ledgerMinor: 880n, availableMinor: 880n, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n });
    const later: WalletCommand[] = [confirm('tx-1', { now: T3 }), increase('tx-1', 1n, { now: T3 })];
    for (const command of later) spec.given(expired).when(command).thenThrows('HOLD_EXPIRED');
  });

  it('an expiry before expiresAt is refused even after partial captures', () => {
    spec.given(partlyCaptured).when(expire('tx-1', { now: ms(T2, -1) })).thenThrows('HOLD_NOT_EXPIRED');
  });
});
