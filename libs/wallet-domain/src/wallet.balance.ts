import { assertNever } from './domain-error';
import type { TransactionType, WalletEvent } from './wallet.events';

/** The money totals of a wallet; `available` is derived (see balanceOf). */
export interface BalanceTotals {
  readonly ledgerMinor: bigint;
  readonly pendingDebitsMinor: bigint;
  readonly pendingCreditsMinor: bigint;
}

export const zeroBalance: BalanceTotals = Object.freeze({ ledgerMinor: 0n, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n });

/**
 * The effect of one event on a wallet's totals. Every money event carries its amount and
 * type, so totals fold without any other state: the read side replays them from a snapshot.
 */
export function applyToBalance(balance: BalanceTotals, event: WalletEvent): BalanceTotals {
  switch (event.type) {
    case 'WalletOpened':
    case 'WalletOwnerAdded':
    case 'OverdraftLimitSet':
      return balance;
    case 'FundsCredited':
      return { ...balance, ledgerMinor: balance.ledgerMinor + event.data.amountMinor };
    case 'FundsDebited':
      return { ...balance, ledgerMinor: balance.ledgerMinor - event.data.amountMinor };
    case 'TransactionReversed':
      return { ...balance, ledgerMinor: balance.ledgerMinor + signed(event.data.transactionType, event.data.amountMinor) };
    case 'HoldPlaced':
    case 'HoldIncreased':
      return withPending(balance, event.data.transactionType, event.data.amountMinor);
    case 'HoldConfirmed':
      return captured(balance, event.data.transactionType, event.data.amountMinor, 0n);
    case 'HoldCaptured':
      return captured(balance, event.data.transactionType, event.data.amountMinor, event.data.releasedMinor);
    case 'HoldRejected':
      return withPending(balance, event.data.transactionType, -event.data.amountMinor);
    default:
      return assertNever(event);
  }
}

/** A capture moves `capturedMinor` from pending to the ledger and drops `releasedMinor` from pending. */
function captured(balance: BalanceTotals, type: TransactionType, capturedMinor: bigint, releasedMinor: bigint): BalanceTotals {
  const ledgerMinor = balance.ledgerMinor + signed(type, capturedMinor);
  return { ...withPending(balance, type, -(capturedMinor + releasedMinor)), ledgerMinor };
}

function signed(type: TransactionType, amountMinor: bigint): bigint {
  return type === 'credit' ? amountMinor : -amountMinor;
}

function withPending(balance: BalanceTotals, type: TransactionType, change: bigint): BalanceTotals {
  return type === 'credit'
    ? { ...balance, pendingCreditsMinor: balance.pendingCreditsMinor + change }
    : { ...balance, pendingDebitsMinor: balance.pendingDebitsMinor + change };
}

/** True for events that record a new transaction (they count towards a wallet's transactions). */
export function recordsTransaction(event: WalletEvent): boolean {
  return event.type === 'FundsCredited' || event.type === 'FundsDebited' || event.type === 'HoldPlaced' || event.type === 'TransactionReversed';
}
