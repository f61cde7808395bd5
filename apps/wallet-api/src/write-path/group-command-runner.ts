import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@wallet/config';
import {
  type GroupCommand,
  type GroupDecision,
  type GroupReferenceHolders,
  type GroupState,
  type WalletState,
  decideGroup,
  decodeGroupReferenceEvent,
  encodeGroupEvent,
  encodeGroupReferenceEvent,
  encodeWalletEvent,
  foldGroup,
  foldWallet,
  groupReferenceStream,
  groupStream,
  referencesOfGroupCommand,
  walletStream,
  walletsOfGroupCommand,
} from '@wallet/domain';
import { type AppendResult, EVENT_STORE, type EventStore } from '@wallet/event-store';
import { CommandExecutor } from './command-executor';
import { type Decided, type DecidedAppend, streamRevision } from './command-outcome';
import { type CommandContext, type Unstamped, stamp } from './command-context';
import { WalletStates } from './wallet-states';
import { GroupStates } from './group-states';

/** What a group command did, for the presenter. */
export interface GroupOutcome {
  readonly group: GroupState;
  readonly walletsBefore: ReadonlyMap<string, WalletState>;
  readonly decision: GroupDecision;
  readonly appended: AppendResult;
}

/**
 * Load, decide, append for group commands: the group's stream and every wallet stream it
 * touches are appended in one atomic appendMany, each at its expected revision, while this
 * process holds all of their keys.
 */
@Injectable()
export class GroupCommandRunner {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly groups: GroupStates,
    private readonly wallets: WalletStates,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async run<View>(command: Unstamped<GroupCommand>, present: (outcome: GroupOutcome) => View, context: CommandContext): Promise<View> {
    const { groupId } = command;
    // A recorded group never changes its legs, and a command names its references itself, so
    // the wallets and reference streams to hold are known up front.
    const planned = stamp<GroupCommand>(command, this.clock.now(), context);
    const walletIds = walletsOfGroupCommand(planned, await this.groups.load(groupId));
    const references = referencesOfGroupCommand(planned);
    const keys = [groupStream(groupId), ...newGroupStreams(command), ...references.map(groupReferenceStream), ...walletIds.map(walletStream)];
    return this.executor.execute(keys, context, async (catchUp) => {
      // Read on every attempt: after a conflict on a reference stream, the retry sees its winner.
      const holders = await this.referenceHolders(references);
      const group = await this.groups.load(groupId);
      const { states: walletsBefore, cached } = await this.wallets.loadAll(walletIds, catchUp);
      let decision: GroupDecision;
      try {
        decision = decideGroup(stamp<GroupCommand>(command, this.clock.now(), context), group, walletsBefore, holders);
      } catch (refused) {
        // A refusal appends nothing, so no append checks the states it was decided on: the
        // executor decides it again on caught-up states before answering it.
        return { outcomes: [{ refused }], cached };
      }
      const after = foldGroup(decision.groupEvents, group);
      const walletsAfter = [...decision.walletEvents].map(([id, events]) => [id, foldWallet(events, walletsBefore.get(id)!)] as const);
      const decided: Decided<View> = {
        appends: groupAppends(group, walletsBefore, decision),
        present: (appended) => present({ group: after, walletsBefore, decision, appended: appended! }),
      };
      return { outcomes: [decided], cached, committed: () => walletsAfter.forEach(([id, state]) => this.wallets.remember(id, state)) };
    });
  }

  /**
   * The group holding each reference, read from the reference's own stream: its first event
   * names the group for ever. Other processes may reserve a reference at any moment, so these
   * are never cached; the append at `no_stream` catches a reservation made after this read.
   */
  private async referenceHolders(references: readonly string[]): Promise<GroupReferenceHolders> {
    const holders = new Map<string, string>();
    for (const reference of references) {
      const [first] = await this.store.readStream(groupReferenceStream(reference), { fromRevision: 0, maxCount: 1 });
      if (first) holders.set(reference, decodeGroupReferenceEvent(first).data.groupId);
    }
    return holders;
  }
}

/** The stream of the group a command creates beside its own: a reversal's. Held like the others. */
function newGroupStreams(command: Unstamped<GroupCommand>): string[] {
  return command.type === 'ReverseGroup' ? [groupStream(command.reversalGroupId)] : [];
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
