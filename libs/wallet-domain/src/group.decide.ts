import { DomainError, assertNever } from './domain-error';
import { referenceField } from './reference-field';
import {
  type ConfirmGroup,
  EXPIRED_REASON,
  type ExpireGroup,
  GROUP_LEGS_MAX,
  GROUP_LEGS_MIN,
  type GroupCommand,
  type RecordGroup,
  type RejectGroup,
  type ReverseGroup,
} from './group.commands';
import type { GroupEvent, GroupLeg } from './group.events';
import type { GroupReferenceReserved } from './group-reference';
import type { GroupState } from './group.state';
import type { WalletCommand } from './wallet.commands';
import { decideWallet } from './wallet.decide';
import type { WalletEvent } from './wallet.events';
import { foldWallet } from './wallet.evolve';
import { assertCreatesNoMoney, isVisibleTo } from './wallet.access';
import type { WalletState } from './wallet.state';

/** Events for the group's own stream and for every wallet it touches: appended all or none. */
export interface GroupDecision {
  readonly groupEvents: GroupEvent[];
  readonly walletEvents: ReadonlyMap<string, WalletEvent[]>;
  /** The new group a ReverseGroup records beside its event on the reversed group. */
  readonly reversalGroup?: { readonly groupId: string; readonly groupEvents: GroupEvent[] };
  /** The reservation of the new group's reference, for that reference's own stream. */
  readonly referenceReserved?: GroupReferenceReserved;
}

/** The group holding each reference a command names, as the reference streams say: empty when free. */
export type GroupReferenceHolders = ReadonlyMap<string, string>;

/**
 * Decides a group command against the group and every wallet of its legs. Legs are decided
 * in order, each against its wallet's state after the earlier legs on the same wallet, so a
 * wallet's legs are judged together. A refused leg refuses the group, naming `legIndex`.
 */
export function decideGroup(
  command: GroupCommand,
  group: GroupState,
  wallets: ReadonlyMap<string, WalletState>,
  referenceHolders: GroupReferenceHolders = new Map(),
): GroupDecision {
  switch (command.type) {
    case 'RecordGroup':
      assertGroupReferenceFree(command.reference, referenceHolders);
      return withReference(recordGroup(command, group, wallets), command.groupId, command);
    case 'ConfirmGroup':
      return settleGroup(command, group, wallets, { how: 'confirm' });
    case 'RejectGroup':
      return settleGroup(command, group, wallets, { how: 'reject', reason: command.reason });
    case 'ExpireGroup':
      return settleGroup(command, group, wallets, { how: 'reject', reason: EXPIRED_REASON, onlyIfExpired: true });
    case 'ReverseGroup':
      assertGroupReferenceFree(command.reference, referenceHolders);
      return withReference(reverseGroup(command, group, wallets), command.reversalGroupId, command);
    default:
      return assertNever(command);
  }
}

/** The group references a command would take, which the caller looks up before deciding. */
export function referencesOfGroupCommand(command: GroupCommand): string[] {
  const reference = command.type === 'RecordGroup' || command.type === 'ReverseGroup' ? command.reference : null;
  return reference == null ? [] : [reference];
}

/** A reference names one group forever: its reuse is refused before anything else is judged. */
function assertGroupReferenceFree(reference: string | null | undefined, holders: GroupReferenceHolders): void {
  const existingId = reference == null ? undefined : holders.get(reference);
  if (existingId === undefined) return;
  throw new DomainError('REFERENCE_ALREADY_USED', `Reference "${reference}" is already used by group ${existingId}.`, { existingId });
}

/** Reserves the new group's reference, in the reference's own stream, for that group. */
function withReference(decision: GroupDecision, newGroupId: string, command: RecordGroup | ReverseGroup): GroupDecision {
  const { reference, now } = command;
  if (reference == null) return decision;
  return { ...decision, referenceReserved: { type: 'GroupReferenceReserved', data: { reference, groupId: newGroupId, reservedAt: now.toISOString() } } };
}

/** The wallets a group command needs loaded. */
export function walletsOfGroupCommand(command: GroupCommand, group: GroupState): string[] {
  const legs = command.type === 'RecordGroup' ? command.legs : group.legs;
  return [...new Set(legs.map((leg) => leg.walletId))];
}

function recordGroup(command: RecordGroup, group: GroupState, wallets: ReadonlyMap<string, WalletState>): GroupDecision {
  const { groupId, legs, pending, expiresAt, description, metadata, now } = command;
  if (group.exists) throw new DomainError('GROUP_ALREADY_EXISTS', `Group ${groupId} already exists.`);
  if (legs.length < GROUP_LEGS_MIN || legs.length > GROUP_LEGS_MAX) {
    throw new DomainError('VALIDATION_FAILED', `A group has ${GROUP_LEGS_MIN} to ${GROUP_LEGS_MAX} legs.`);
  }
  const currency = wallets.get(legs[0]!.walletId)?.currency ?? '';
  const walletCommands = legs.map((leg, legIndex): WalletCommand => {
    const wallet = wallets.get(leg.walletId);
    if (!isVisibleTo(wallet, command.actingFor)) throw new DomainError('WALLET_NOT_FOUND', `Wallet ${leg.walletId} of leg ${legIndex} does not exist.`, { legIndex });
    if (wallet.currency !== currency) {
      throw new DomainError('CURRENCY_MISMATCH', `Leg ${legIndex} is in ${wallet.currency}, the group in ${currency}.`, { legIndex });
    }
    const { walletId, transactionId, transactionType, amountMinor, description: legDescription } = leg;
    return { type: 'RecordTransaction', walletId, transactionId, transactionType, amountMinor, description: legDescription, metadata: {}, pending, expiresAt, groupId, now };
  });
  assertLegsCreateNoMoney(command.actingFor, legs);
  const walletEvents = decideLegs(walletCommands, wallets);
  const recordedLegs: GroupLeg[] = legs.map(({ walletId, transactionId, transactionType, amountMinor, description: legDescription }) => ({
    walletId, transactionId, transactionType, amountMinor, description: legDescription,
  }));
  const data = { groupId, currency, pending, description, metadata, expiresAt: expiresAt?.toISOString() ?? null, legs: recordedLegs, recordedAt: now.toISOString(), ...referenceField(command.reference) };
  return { groupEvents: [{ type: 'TransactionGroupRecorded', data }], walletEvents };
}

type SettleCommand = ConfirmGroup | RejectGroup | ExpireGroup;

type Settlement = { readonly how: 'confirm' } | { readonly how: 'reject'; readonly reason: string | null; readonly onlyIfExpired?: boolean };

function settleGroup(command: SettleCommand, group: GroupState, wallets: ReadonlyMap<string, WalletState>, settlement: Settlement): GroupDecision {
  const { now } = command;
  requireVisibleGroup(group, wallets, command.type === 'ExpireGroup' ? undefined : command.actingFor);
  if (settlement.how === 'confirm' && group.status === 'rejected' && group.rejectReason === EXPIRED_REASON) {
    throw new DomainError('HOLD_EXPIRED', `Group ${group.groupId} expired and was rejected.`);
  }
  if (group.status !== 'pending') throw new DomainError('GROUP_NOT_PENDING', `Group ${group.groupId} is ${group.status}.`);
  const expired = group.expiresAt !== null && Date.parse(group.expiresAt) <= now.getTime();
  if (settlement.how === 'confirm' && expired) throw new DomainError('HOLD_EXPIRED', `Group ${group.groupId} expired at ${group.expiresAt}.`);
  if (settlement.how === 'reject' && settlement.onlyIfExpired && !expired) {
    throw new DomainError('HOLD_NOT_EXPIRED', `Group ${group.groupId} has not expired.`);
  }
  const { groupId } = group;
  const at = now.toISOString();
  const walletCommands = group.legs.map(({ walletId, transactionId }): WalletCommand =>
    settlement.how === 'confirm'
      ? { type: 'ConfirmTransaction', walletId, transactionId, groupId, now }
      : { type: 'RejectTransaction', walletId, transactionId, groupId, reason: settlement.reason, now },
  );
  const event: GroupEvent =
    settlement.how === 'confirm'
      ? { type: 'TransactionGroupConfirmed', data: { groupId, confirmedAt: at } }
      : { type: 'TransactionGroupRejected', data: { groupId, reason: settlement.reason, rejectedAt: at } };
  return { groupEvents: [event], walletEvents: decideLegs(walletCommands, wallets) };
}

function reverseGroup(command: ReverseGroup, group: GroupState, wallets: ReadonlyMap<string, WalletState>): GroupDecision {
  const { reversalGroupId, reversalTransactionIds, reason, now } = command;
  requireVisibleGroup(group, wallets, command.actingFor);
  if (group.status !== 'completed' || group.reversedBy !== null || group.reversalOf !== null) {
    const why = group.reversedBy !== null ? `was reversed by ${group.reversedBy}` : group.reversalOf !== null ? 'is a reversal' : `is ${group.status}`;
    throw new DomainError('GROUP_NOT_REVERSIBLE', `Group ${group.groupId} ${why}: only a completed group can be reversed, once.`);
  }
  if (reversalTransactionIds.length < group.legs.length) throw new Error('ReverseGroup needs one new transaction id for every leg.');
  const legs: GroupLeg[] = group.legs.map((leg, legIndex) => ({
    walletId: leg.walletId,
    transactionId: reversalTransactionIds[legIndex]!,
    transactionType: leg.transactionType === 'credit' ? 'debit' : 'credit',
    amountMinor: leg.amountMinor,
    description: reason,
  }));
  assertLegsCreateNoMoney(command.actingFor, legs);
  const walletCommands = group.legs.map(({ walletId, transactionId }, legIndex): WalletCommand => ({
    type: 'ReverseTransaction',
    walletId,
    transactionId,
    reversalId: legs[legIndex]!.transactionId,
    amountMinor: null,
    reason,
    metadata: {},
    groupId: reversalGroupId,
    viaGroup: group.groupId,
    now,
  }));
  const at = now.toISOString();
  const recorded = { groupId: reversalGroupId, currency: group.currency, pending: false, description: reason, metadata: {}, expiresAt: null, legs, recordedAt: at, reversalOf: group.groupId, ...referenceField(command.reference) };
  return {
    groupEvents: [{ type: 'TransactionGroupReversed', data: { groupId: group.groupId, reversedBy: reversalGroupId, reason, reversedAt: at } }],
    walletEvents: decideLegs(walletCommands, wallets),
    reversalGroup: { groupId: reversalGroupId, groupEvents: [{ type: 'TransactionGroupRecorded', data: recorded }] },
  };
}

/** An owner acting for itself moves money between wallets but creates none: a group's credits stay within its debits. */
function assertLegsCreateNoMoney(actingFor: RecordGroup['actingFor'], legs: readonly { transactionType: string; amountMinor: bigint }[]): void {
  const sumOf = (type: string) => legs.reduce((sum, leg) => (leg.transactionType === type ? sum + leg.amountMinor : sum), 0n);
  assertCreatesNoMoney(actingFor, sumOf('credit'), sumOf('debit'));
}

/** An owner-scoped key sees a group only when its owner holds every wallet the group touches. */
function requireVisibleGroup(group: GroupState, wallets: ReadonlyMap<string, WalletState>, actingFor: ReverseGroup['actingFor']): void {
  const visible = group.exists && group.legs.every((leg) => isVisibleTo(wallets.get(leg.walletId), actingFor));
  if (!visible) throw new DomainError('GROUP_NOT_FOUND', 'No group has this id.');
}

/** Decides each leg against its wallet as the earlier legs left it; a refusal names the leg. */
function decideLegs(commands: readonly WalletCommand[], wallets: ReadonlyMap<string, WalletState>): Map<string, WalletEvent[]> {
  const states = new Map(wallets);
  const events = new Map<string, WalletEvent[]>();
  commands.forEach((command, legIndex) => {
    const state = states.get(command.walletId);
    if (!state?.exists) throw new DomainError('WALLET_NOT_FOUND', `Wallet ${command.walletId} of leg ${legIndex} does not exist.`, { legIndex });
    let decided: WalletEvent[];
    try {
      decided = decideWallet(command, state);
    } catch (error) {
      if (error instanceof DomainError) throw new DomainError(error.code, `Leg ${legIndex}: ${error.message}`, { ...error.details, legIndex });
      throw error;
    }
    states.set(command.walletId, foldWallet(decided, state));
    events.set(command.walletId, [...(events.get(command.walletId) ?? []), ...decided]);
  });
  return events;
}
