import {
  type GroupCommand,
  type GroupDecision,
  type GroupState,
  type WalletState,
  decideGroup,
  encodeGroupEvent,
  encodeGroupReferenceEvent,
  encodeWalletEvent,
  foldGroup,
  foldWallet,
  groupReferenceStream,
  groupStream,
  initialGroupState,
  initialWalletState,
  referencesOfGroupCommand,
  walletStream,
  walletsOfGroupCommand,
} from '@wallet/domain';
import { type DecidedAppend, streamRevision } from './command-outcome';

/** What a turn decides on: each wallet, group and group reference as the turn found it. */
export interface TurnStates {
  readonly wallets: ReadonlyMap<string, WalletState>;
  readonly groups: ReadonlyMap<string, GroupState>;
  /** The group holding each reference; a reference absent here is free. */
  readonly holders: ReadonlyMap<string, string>;
}

/** A group command the turn accepted: what it appends and what its presenter needs. */
export interface AcceptedGroup {
  readonly accepted: true;
  readonly groupBefore: GroupState;
  readonly groupAfter: GroupState;
  readonly walletsBefore: ReadonlyMap<string, WalletState>;
  readonly decision: GroupDecision;
  readonly appends: readonly DecidedAppend[];
}

/** A group command the domain refused, with the streams its refusal was judged on. */
export interface RefusedGroup {
  readonly accepted: false;
  readonly refused: unknown;
  readonly streams: readonly string[];
}

export interface DecidedTurn {
  /** One per command, in order; null for a command left out of the turn. */
  readonly outcomes: readonly (AcceptedGroup | RefusedGroup | null)[];
  /** The states every accepted command left. */
  readonly after: TurnStates;
  /** Every stream the turn appends to. */
  readonly appended: ReadonlySet<string>;
}

/**
 * Decides group commands in order, each on the states the ones before it left: a wallet that
 * several groups touch is judged once per group, with the earlier groups' effects already in
 * it. A refused command changes nothing and the next one is decided as if it had not come.
 * Commands given as null are left out. Pure: the states come in, the decisions go out.
 */
export function decideGroupTurn(commands: readonly (GroupCommand | null)[], start: TurnStates): DecidedTurn {
  const wallets = new Map(start.wallets);
  const groups = new Map(start.groups);
  const holders = new Map(start.holders);
  const appended = new Set<string>();
  const outcomes = commands.map((command): AcceptedGroup | RefusedGroup | null => {
    if (command === null) return null;
    const groupBefore = groups.get(command.groupId) ?? { ...initialGroupState, groupId: command.groupId };
    const walletIds = walletsOfGroupCommand(command, groupBefore);
    const walletsBefore = new Map(walletIds.map((id) => [id, wallets.get(id) ?? initialWalletState]));
    let decision: GroupDecision;
    try {
      decision = decideGroup(command, groupBefore, walletsBefore, holders);
    } catch (refused) {
      const streams = [groupStream(command.groupId), ...walletIds.map(walletStream), ...referencesOfGroupCommand(command).map(groupReferenceStream)];
      return { accepted: false, refused, streams };
    }
    const groupAfter = foldGroup(decision.groupEvents, groupBefore);
    groups.set(command.groupId, groupAfter);
    const { reversalGroup, referenceReserved } = decision;
    if (reversalGroup) groups.set(reversalGroup.groupId, foldGroup(reversalGroup.groupEvents, { ...initialGroupState, groupId: reversalGroup.groupId }));
    if (referenceReserved) holders.set(referenceReserved.data.reference, referenceReserved.data.groupId);
    for (const [walletId, events] of decision.walletEvents) wallets.set(walletId, foldWallet(events, walletsBefore.get(walletId)!));
    const appends = groupAppends(groupBefore, walletsBefore, decision);
    // Only a stream the append writes to has its revision checked.
    for (const append of appends) if (append.events.length > 0) appended.add(append.stream);
    return { accepted: true, groupBefore, groupAfter, walletsBefore, decision, appends };
  });
  return { outcomes, after: { wallets, groups, holders }, appended };
}

/**
 * Streams a refusal of the turn was judged on without knowing they were current: those in
 * `assumed` (taken from a cache, or taken to be new without a read) that the turn does not
 * append to. An append checks the revision of every stream it writes, so a stream the turn
 * appends to needs no other check.
 */
export function unconfirmedStreams(turn: DecidedTurn, assumed: ReadonlySet<string>): string[] {
  const streams = new Set<string>();
  for (const outcome of turn.outcomes) {
    if (outcome === null || outcome.accepted) continue;
    for (const stream of outcome.streams) if (assumed.has(stream) && !turn.appended.has(stream)) streams.add(stream);
  }
  return [...streams];
}

function groupAppends(group: GroupState, wallets: ReadonlyMap<string, WalletState>, decision: GroupDecision): DecidedAppend[] {
  const groupAppend = { stream: groupStream(group.groupId), events: decision.groupEvents.map(encodeGroupEvent), expectedRevision: streamRevision(group.version) };
  // A new group's stream must not exist yet: an id used twice fails the whole append.
  const { reversalGroup } = decision;
  const newGroupAppends = reversalGroup
    ? [{ stream: groupStream(reversalGroup.groupId), events: reversalGroup.groupEvents.map(encodeGroupEvent), expectedRevision: 'no_stream' as const }]
    : [];
  const walletAppends = [...decision.walletEvents].map(([walletId, events]) => ({
    stream: walletStream(walletId),
    events: events.map(encodeWalletEvent),
    expectedRevision: streamRevision(wallets.get(walletId)!.version),
  }));
  // A reference is reserved once: a stream that exists means another group took it first.
  const { referenceReserved } = decision;
  const referenceAppends = referenceReserved
    ? [{ stream: groupReferenceStream(referenceReserved.data.reference), events: [encodeGroupReferenceEvent(referenceReserved)], expectedRevision: 'no_stream' as const }]
    : [];
  return [groupAppend, ...newGroupAppends, ...referenceAppends, ...walletAppends];
}
