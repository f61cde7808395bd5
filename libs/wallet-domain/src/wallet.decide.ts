import { DomainError, assertNever } from './domain-error';
import { referenceField } from './reference-field';
import { isIso4217Currency } from './currency';
import { assertCreatesNoMoney, isVisibleTo } from './wallet.access';
import { EXPIRED_REASON } from './group.commands';
import { MAX_MINOR, isPositiveAmount } from './money';
import type {
  AddWalletOwner,
  ConfirmTransaction,
  ExpireHold,
  IncreaseHold,
  OpenWallet,
  RecordTransaction,
  RejectTransaction,
  ReverseTransaction,
  SetOverdraftLimit,
  WalletCommand,
} from './wallet.commands';
import type { OverdraftLimit, TransactionType, WalletEvent } from './wallet.events';
import { type Hold, type SettledTransaction, type WalletState, balanceOf } from './wallet.state';

/** Most owners one wallet may have; bounds the state and every wallet document. */
export const OWNERS_MAX = 100;

/**
 * Decides which events a command produces against a wallet's current state, or throws a
 * DomainError naming why it cannot. Pure: same command and state, same answer.
 */
export function decideWallet(command: WalletCommand, state: WalletState): WalletEvent[] {
  switch (command.type) {
    case 'OpenWallet':
      return openWallet(command, state);
    case 'AddWalletOwner':
      return addOwner(command, requireWallet(state, command));
    case 'SetOverdraftLimit':
      return setOverdraftLimit(command, requireWallet(state, command));
    case 'RecordTransaction':
      return recordTransaction(command, requireWallet(state, command));
    case 'ConfirmTransaction':
      return confirmTransaction(command, requireWallet(state, command));
    case 'IncreaseHold':
      return increaseHold(command, requireWallet(state, command));
    case 'ReverseTransaction':
      return reverseTransaction(command, requireWallet(state, command));
    case 'RejectTransaction':
      return rejectTransaction(command, requireWallet(state, command));
    case 'ExpireHold':
      return expireHold(command, requireWallet(state, command));
    default:
      return assertNever(command);
  }
}

function openWallet(command: OpenWallet, state: WalletState): WalletEvent[] {
  if (state.exists) {
    throw new DomainError('WALLET_ALREADY_EXISTS', `Wallet ${command.walletId} already exists.`);
  }
  if (!isIso4217Currency(command.currency)) {
    throw new DomainError('VALIDATION_FAILED', `Unknown currency "${command.currency}": use an ISO 4217 code.`);
  }
  // A wallet opened through an owner-scoped key is always held by that owner.
  const { actingFor } = command;
  const owners = uniqueOwners(actingFor ? [{ ownerType: actingFor.ownerType, ownerRef: actingFor.ownerRef }, ...command.owners] : command.owners);
  if (owners.length > OWNERS_MAX) {
    throw new DomainError('OWNER_LIMIT_REACHED', `A wallet has at most ${OWNERS_MAX} owners.`);
  }
  const overdraftLimit = command.overdraftLimit ?? 0n;
  assertLimitSetBy(actingFor, overdraftLimit);
  const { walletId, walletType, currency, metadata } = command;
  const limit = overdraftLimit === 0n ? {} : { overdraftLimit };
  return [{ type: 'WalletOpened', data: { walletId, walletType, currency, owners, metadata, openedAt: command.now.toISOString(), ...limit } }];
}

/** A limit the wallet already uses more of is refused: the invariant would already be broken. */
function setOverdraftLimit(command: SetOverdraftLimit, state: WalletState): WalletEvent[] {
  const { overdraftLimit, actingFor, now } = command;
  assertLimitSetBy(actingFor, overdraftLimit, true);
  const { availableMinor } = balanceOf(state);
  if (overdraftLimit !== 'unlimited' && availableMinor < -overdraftLimit) {
    throw new DomainError('OVERDRAFT_LIMIT_BELOW_USAGE', `Available balance ${availableMinor} already uses more than a limit of ${overdraftLimit}.`, {
      availableMinor: availableMinor.toString(),
    });
  }
  return [{ type: 'OverdraftLimitSet', data: { walletId: state.walletId, overdraftLimit, setAt: now.toISOString() } }];
}

/** Only a key not bound to an owner lends: an owner cannot give its own wallet credit. */
function assertLimitSetBy(actingFor: OpenWallet['actingFor'], overdraftLimit: OverdraftLimit, always = false): void {
  // A negative limit would demand a positive balance: the wire never carries one, and the domain refuses it too.
  if (overdraftLimit !== 'unlimited' && (overdraftLimit < 0n || overdraftLimit > MAX_MINOR)) {
    throw new DomainError('VALIDATION_FAILED', 'overdraftLimit must be from 0 to 2^63 - 1, or "unlimited".');
  }
  if (actingFor !== undefined && (always || overdraftLimit !== 0n)) {
    throw new DomainError('FORBIDDEN', 'A key bound to an owner cannot set an overdraft limit.');
  }
}

function addOwner(command: AddWalletOwner, state: WalletState): WalletEvent[] {
  const alreadyOwner = state.owners.some((o) => o.ownerType === command.ownerType && o.ownerRef === command.ownerRef);
  if (alreadyOwner) return [];
  if (state.owners.length >= OWNERS_MAX) {
    throw new DomainError('OWNER_LIMIT_REACHED', `A wallet has at most ${OWNERS_MAX} owners.`);
  }
  const { walletId, ownerType, ownerRef } = command;
  return [{ type: 'WalletOwnerAdded', data: { walletId, ownerType, ownerRef, addedAt: command.now.toISOString() } }];
}

function recordTransaction(command: RecordTransaction, state: WalletState): WalletEvent[] {
  const { walletId, transactionId, transactionType, amountMinor, description, metadata, pending, expiresAt, now } = command;
  assertAmount(amountMinor);
  // Before the expiry check: a hold retried after its expiresAt learns which transaction holds
  // its reference, rather than that the expiry has passed.
  assertReferenceFree(state, command.reference);
  if (expiresAt !== null && (!pending || expiresAt.getTime() <= now.getTime())) {
    throw new DomainError('VALIDATION_FAILED', 'expiresAt applies to pending transactions only and must lie in the future.');
  }
  assertNewTransaction(state, transactionId);
  if (transactionType === 'credit') assertCreatesNoMoney(command.actingFor, amountMinor, 0n);
  if (transactionType === 'debit') assertFundsAvailable(state, amountMinor, pending);
  if (transactionType === 'credit') assertCreditFits(state, amountMinor, pending);
  const recorded = { walletId, transactionId, amountMinor, description, metadata, groupId: command.groupId ?? null, recordedAt: now.toISOString(), ...referenceField(command.reference) };
  if (pending) {
    const expires = expiresAt === null ? null : expiresAt.toISOString();
    return [{ type: 'HoldPlaced', data: { ...recorded, transactionType, expiresAt: expires } }];
  }
  return [transactionType === 'credit' ? { type: 'FundsCredited', data: recorded } : { type: 'FundsDebited', data: recorded }];
}

function confirmTransaction(command: ConfirmTransaction, state: WalletState): WalletEvent[] {
  if (command.amountMinor != null) assertAmount(command.amountMinor);
  const hold = requireLiveHold(state, command.transactionId, command.groupId, command.now);
  const amountMinor = command.amountMinor ?? hold.heldMinor;
  const final = command.final ?? true;
  // A capture that would capture nothing and end nothing (an open hold that holds nothing,
  // captured again with final: false) is refused like any capture beyond what is held.
  if (amountMinor > hold.heldMinor || (amountMinor === 0n && !final)) {
    throw new DomainError('AMOUNT_EXCEEDS_HOLD', `Transaction ${hold.transactionId} holds ${hold.heldMinor}, less than ${amountMinor || 'any amount'}.`, {
      heldMinor: hold.heldMinor.toString(),
    });
  }
  if (hold.transactionType === 'credit') assertCreditFits(state, amountMinor, false);
  const { transactionId, transactionType } = hold;
  const at = command.now.toISOString();
  const restMinor = hold.heldMinor - amountMinor;
  // A final capture of all that is held is the confirmation of old. A capture with `final:
  // false` keeps the hold open even when it leaves nothing held: the hold may still be
  // increased, and only a final capture, a reject or the expiry ends it.
  if (final && restMinor === 0n) return [{ type: 'HoldConfirmed', data: { walletId: state.walletId, transactionId, transactionType, amountMinor, confirmedAt: at } }];
  const releasedMinor = final ? restMinor : 0n;
  return [{ type: 'HoldCaptured', data: { walletId: state.walletId, transactionId, transactionType, amountMinor, releasedMinor, final, capturedAt: at } }];
}

function increaseHold(command: IncreaseHold, state: WalletState): WalletEvent[] {
  assertAmount(command.amountMinor);
  const hold = requireLiveHold(state, command.transactionId, undefined, command.now);
  const { transactionId, transactionType } = hold;
  const { amountMinor } = command;
  // The authorised amount is a transaction's amount too: it stays below 2^63 like any other.
  if (hold.amountMinor + amountMinor > MAX_MINOR) {
    throw new DomainError('BALANCE_LIMIT_EXCEEDED', `Transaction ${transactionId} would authorise more than 2^63 - 1 minor units.`);
  }
  if (transactionType === 'debit') assertFundsAvailable(state, amountMinor, true);
  if (transactionType === 'credit') assertCreatesNoMoney(command.actingFor, amountMinor, 0n);
  if (transactionType === 'credit') assertCreditFits(state, amountMinor, true);
  return [{ type: 'HoldIncreased', data: { walletId: state.walletId, transactionId, transactionType, amountMinor, increasedAt: command.now.toISOString() } }];
}

function reverseTransaction(command: ReverseTransaction, state: WalletState): WalletEvent[] {
  const { transactionId, reversalId, reason, metadata, now } = command;
  if (command.amountMinor !== null) assertAmount(command.amountMinor);
  const original = requireReversible(state, transactionId, command.viaGroup);
  assertNewTransaction(state, reversalId);
  assertReferenceFree(state, command.reference);
  const leftMinor = original.capturedMinor - original.reversedMinor;
  const amountMinor = command.amountMinor ?? leftMinor;
  if (amountMinor === 0n || amountMinor > leftMinor) {
    throw new DomainError('REVERSAL_EXCEEDS_ORIGINAL', `Transaction ${transactionId} has ${leftMinor} left to reverse, less than ${amountMinor || 'any amount'}.`, {
      reversibleMinor: leftMinor.toString(),
    });
  }
  const transactionType: TransactionType = original.transactionType === 'credit' ? 'debit' : 'credit';
  if (transactionType === 'credit') assertCreatesNoMoney(command.actingFor, amountMinor, 0n);
  if (transactionType === 'credit') assertCreditFits(state, amountMinor, false);
  if (transactionType === 'debit') assertFundsAvailable(state, amountMinor, false);
  const recorded = {
    walletId: state.walletId,
    transactionId: reversalId,
    amountMinor,
    description: reason,
    metadata,
    groupId: command.groupId ?? null,
    recordedAt: now.toISOString(),
    ...referenceField(command.reference),
  };
  return [{ type: 'TransactionReversed', data: { ...recorded, transactionType, reversalOf: transactionId } }];
}

/** Releases everything still held: after partial captures, only the rest. */
function rejectTransaction(command: RejectTransaction, state: WalletState): WalletEvent[] {
  return [holdRejected(requireHold(state, command.transactionId, command.groupId), state, command.reason, command.now)];
}

function expireHold(command: ExpireHold, state: WalletState): WalletEvent[] {
  const hold = requireHold(state, command.transactionId, command.groupId);
  if (hold.expiresAt === null || Date.parse(hold.expiresAt) > command.now.getTime()) {
    throw new DomainError('HOLD_NOT_EXPIRED', `Transaction ${hold.transactionId} has not expired.`);
  }
  return [holdRejected(hold, state, EXPIRED_REASON, command.now)];
}

function holdRejected({ transactionId, transactionType, heldMinor }: Hold, state: WalletState, reason: string | null, now: Date): WalletEvent {
  return { type: 'HoldRejected', data: { walletId: state.walletId, transactionId, transactionType, amountMinor: heldMinor, reason, rejectedAt: now.toISOString() } };
}

/** The wallet, when it exists and the command's owner (if any) holds it. */
function requireWallet(state: WalletState, command: WalletCommand): WalletState {
  if (!isVisibleTo(state, command.actingFor)) throw new DomainError('WALLET_NOT_FOUND', `Wallet ${command.walletId} does not exist.`);
  return state;
}

/** The pending transaction to settle; a group leg only through its group (`viaGroup`). */
function requireHold(state: WalletState, transactionId: string, viaGroup: string | undefined): Hold {
  const hold = state.holds.get(transactionId);
  if (hold && hold.groupId !== (viaGroup ?? null)) {
    throw new DomainError('TRANSACTION_PART_OF_GROUP', `Transaction ${transactionId} is a leg of group ${hold.groupId}: confirm or reject the group.`, {
      groupId: hold.groupId,
    });
  }
  if (hold) return hold;
  if (state.settled.has(transactionId)) {
    throw new DomainError('TRANSACTION_NOT_PENDING', `Transaction ${transactionId} is not pending.`);
  }
  throw new DomainError('TRANSACTION_NOT_FOUND', `Transaction ${transactionId} does not exist in wallet ${state.walletId}.`);
}

/** A hold that may still be captured or increased: pending and not past its expiry. */
function requireLiveHold(state: WalletState, transactionId: string, viaGroup: string | undefined, now: Date): Hold {
  if (state.expiredTransactionIds.has(transactionId)) {
    throw new DomainError('HOLD_EXPIRED', `Transaction ${transactionId} expired and was rejected.`);
  }
  const hold = requireHold(state, transactionId, viaGroup);
  if (hold.expiresAt !== null && Date.parse(hold.expiresAt) <= now.getTime()) {
    throw new DomainError('HOLD_EXPIRED', `Transaction ${hold.transactionId} expired at ${hold.expiresAt}.`);
  }
  return hold;
}

/**
 * A confirmed transaction that captured something and reverses nothing itself; a group's
 * leg only through its group (`viaGroup`).
 */
function requireReversible(state: WalletState, transactionId: string, viaGroup: string | undefined): SettledTransaction {
  const transaction = state.settled.get(transactionId) ?? state.holds.get(transactionId);
  if (!transaction) throw new DomainError('TRANSACTION_NOT_FOUND', `Transaction ${transactionId} does not exist in wallet ${state.walletId}.`);
  if (transaction.groupId !== (viaGroup ?? null)) {
    throw new DomainError('TRANSACTION_PART_OF_GROUP', `Transaction ${transactionId} is a leg of group ${transaction.groupId}: reverse the group.`, {
      groupId: transaction.groupId,
    });
  }
  const settled = state.settled.get(transactionId);
  if (!settled || settled.capturedMinor === 0n || settled.reversalOf !== null) {
    const why = !settled ? 'pending' : settled.reversalOf !== null ? 'a reversal' : 'rejected';
    throw new DomainError('TRANSACTION_NOT_REVERSIBLE', `Transaction ${transactionId} is ${why}: only a confirmed transaction can be reversed.`);
  }
  return settled;
}

function assertNewTransaction(state: WalletState, transactionId: string): void {
  if (state.holds.has(transactionId) || state.settled.has(transactionId)) {
    throw new DomainError('TRANSACTION_ALREADY_EXISTS', `Transaction ${transactionId} already exists in wallet ${state.walletId}.`);
  }
}

function assertAmount(amountMinor: bigint): void {
  if (!isPositiveAmount(amountMinor)) throw new DomainError('VALIDATION_FAILED', 'amount must be greater than 0 and less than 2^63.');
}

/**
 * A debit (or a debit hold, `pending`) may take `available` down to -overdraftLimit and no
 * further; a system wallet has no floor, but its totals must stay representable.
 */
function assertFundsAvailable(state: WalletState, amountMinor: bigint, pending: boolean): void {
  const { availableMinor } = balanceOf(state);
  const { overdraftLimit } = state;
  if (overdraftLimit !== 'unlimited' && availableMinor - amountMinor < -overdraftLimit) {
    const limit = overdraftLimit === 0n ? '' : ` plus an overdraft limit of ${overdraftLimit}`;
    throw new DomainError('INSUFFICIENT_FUNDS', `Available balance ${availableMinor}${limit} is less than ${amountMinor}.`, {
      availableMinor: availableMinor.toString(),
    });
  }
  assertDebitFits(state, amountMinor, pending);
}

/**
 * Keeps the totals within PostgreSQL's bigint whatever the limit: `available` (and so the
 * ledger once every hold is captured) above -2^63, pending debits below 2^63.
 */
function assertDebitFits(state: WalletState, amountMinor: bigint, pending: boolean): void {
  const { availableMinor } = balanceOf(state);
  const fits = availableMinor - amountMinor >= -MAX_MINOR && (!pending || state.pendingDebitsMinor + amountMinor <= MAX_MINOR);
  if (!fits) throw new DomainError('BALANCE_LIMIT_EXCEEDED', 'This debit would take the balance past -(2^63 - 1) minor units.');
}

/** A reference names one transaction of the wallet forever. */
function assertReferenceFree(state: WalletState, reference: string | null | undefined): void {
  const existingId = reference == null ? undefined : state.references.get(reference);
  if (existingId === undefined) return;
  throw new DomainError('REFERENCE_ALREADY_USED', `Reference "${reference}" is already used by transaction ${existingId} of this wallet.`, { existingId });
}

/** Keeps every balance representable: no credit may push a total past 2^63 - 1. */
function assertCreditFits(state: WalletState, amountMinor: bigint, pending: boolean): void {
  const total = (pending ? state.pendingCreditsMinor : state.ledgerMinor) + amountMinor;
  if (total > MAX_MINOR) {
    throw new DomainError('BALANCE_LIMIT_EXCEEDED', 'This credit would take the balance past 2^63 - 1 minor units.');
  }
}

function uniqueOwners<T extends { ownerType: string; ownerRef: string }>(owners: readonly T[]): T[] {
  const seen = new Set<string>();
  return owners.filter((owner) => {
    const key = JSON.stringify([owner.ownerType, owner.ownerRef]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
