import { DomainError, assertNever } from './domain-error';
import { isIso4217Currency } from './currency';
import { assertCreatesNoMoney, isVisibleTo } from './wallet.access';
import { EXPIRED_REASON } from './group.commands';
import { MAX_MINOR, isPositiveAmount } from './money';
import type {
  AddWalletOwner,
  ConfirmTransaction,
  ExpireHold,
  OpenWallet,
  RecordTransaction,
  RejectTransaction,
  WalletCommand,
} from './wallet.commands';
import type { WalletEvent } from './wallet.events';
import { type Hold, type WalletState, balanceOf } from './wallet.state';

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
    case 'RecordTransaction':
      return recordTransaction(command, requireWallet(state, command));
    case 'ConfirmTransaction':
      return confirmTransaction(command, requireWallet(state, command));
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
  const { walletId, walletType, currency, metadata } = command;
  return [{ type: 'WalletOpened', data: { walletId, walletType, currency, owners, metadata, openedAt: command.now.toISOString() } }];
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
  if (!isPositiveAmount(amountMinor)) {
    throw new DomainError('VALIDATION_FAILED', 'amount must be greater than 0 and less than 2^63.');
  }
  if (expiresAt !== null && (!pending || expiresAt.getTime() <= now.getTime())) {
    throw new DomainError('VALIDATION_FAILED', 'expiresAt applies to pending transactions only and must lie in the future.');
  }
  if (state.holds.has(transactionId) || state.settledTransactionIds.has(transactionId)) {
    throw new DomainError('TRANSACTION_ALREADY_EXISTS', `Transaction ${transactionId} already exists in wallet ${walletId}.`);
  }
  if (transactionType === 'credit') assertCreatesNoMoney(command.actingFor, amountMinor, 0n);
  if (transactionType === 'debit') assertFundsAvailable(state, amountMinor);
  if (transactionType === 'credit') assertCreditFits(state, amountMinor, pending);
  const recorded = { walletId, transactionId, amountMinor, description, metadata, groupId: command.groupId ?? null, recordedAt: now.toISOString() };
  if (pending) {
    const expires = expiresAt === null ? null : expiresAt.toISOString();
    return [{ type: 'HoldPlaced', data: { ...recorded, transactionType, expiresAt: expires } }];
  }
  return [transactionType === 'credit' ? { type: 'FundsCredited', data: recorded } : { type: 'FundsDebited', data: recorded }];
}

function confirmTransaction(command: ConfirmTransaction, state: WalletState): WalletEvent[] {
  if (state.expiredTransactionIds.has(command.transactionId)) {
    throw new DomainError('HOLD_EXPIRED', `Transaction ${command.transactionId} expired and was rejected.`);
  }
  const hold = requireHold(state, command.transactionId, command.groupId);
  if (hold.expiresAt !== null && Date.parse(hold.expiresAt) <= command.now.getTime()) {
    throw new DomainError('HOLD_EXPIRED', `Transaction ${hold.transactionId} expired at ${hold.expiresAt}.`);
  }
  if (hold.transactionType === 'credit') assertCreditFits(state, hold.amountMinor, false);
  const { transactionId, transactionType, amountMinor } = hold;
  const confirmedAt = command.now.toISOString();
  return [{ type: 'HoldConfirmed', data: { walletId: state.walletId, transactionId, transactionType, amountMinor, confirmedAt } }];
}

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

function holdRejected({ transactionId, transactionType, amountMinor }: Hold, state: WalletState, reason: string | null, now: Date): WalletEvent {
  return { type: 'HoldRejected', data: { walletId: state.walletId, transactionId, transactionType, amountMinor, reason, rejectedAt: now.toISOString() } };
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
  if (state.settledTransactionIds.has(transactionId)) {
    throw new DomainError('TRANSACTION_NOT_PENDING', `Transaction ${transactionId} is not pending.`);
  }
  throw new DomainError('TRANSACTION_NOT_FOUND', `Transaction ${transactionId} does not exist in wallet ${state.walletId}.`);
}

function assertFundsAvailable(state: WalletState, amountMinor: bigint): void {
  const { availableMinor } = balanceOf(state);
  if (amountMinor > availableMinor) {
    throw new DomainError('INSUFFICIENT_FUNDS', `Available balance ${availableMinor} is less than ${amountMinor}.`, {
      availableMinor: availableMinor.toString(),
    });
  }
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
