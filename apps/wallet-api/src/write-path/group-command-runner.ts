import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@wallet/config';
import {
  type GroupCommand,
  type GroupDecision,
  type GroupState,
  type WalletState,
  groupReferenceStream,
  groupStream,
  initialGroupState,
  referencesOfGroupCommand,
  walletStream,
  walletsOfGroupCommand,
} from '@wallet/domain';
import type { AppendResult } from '@wallet/event-store';
import { type Attempt, CommandExecutor, type Decide } from './command-executor';
import type { Outcome } from './command-outcome';
import { type CommandContext, type Unstamped, stamp } from './command-context';
import { type DecidedTurn, decideGroupTurn, unconfirmedStreams } from './group-turn';
import { type GroupTurnMember, GroupTurnStates } from './group-turn-states';
import { TurnScheduler } from './turn-scheduler';

/** What a group command did, for the presenter. */
export interface GroupOutcome {
  readonly group: GroupState;
  readonly walletsBefore: ReadonlyMap<string, WalletState>;
  readonly decision: GroupDecision;
  readonly appended: AppendResult;
}

interface WaitingGroup extends GroupTurnMember {
  readonly present: (outcome: GroupOutcome) => unknown;
  readonly context: CommandContext;
  readonly resolve: (view: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Turns of group commands: every command waiting when a turn starts whose streams no
 * running turn holds joins it. One turn runs at a time: a turn that waits collects more
 * commands, and one append of many groups costs PostgreSQL less per group than several
 * smaller appends at once (the transfer bench, docs/performance.md). A wallet that every
 * group touches (a system wallet) gets one append per turn instead of one per group.
 */
const TURN_LIMITS = { turnsMax: 1, membersMax: 256, keysMax: 1_000 };

/**
 * Load, decide, append for group commands. The commands of a turn are decided in arrival
 * order, each on the states the ones before it left, and every accepted one is appended in
 * one atomic appendMany with one expected revision per stream: each group all or nothing, a
 * refused group absent and the others committed. Every answer waits for the commit.
 */
@Injectable()
export class GroupCommandRunner {
  private readonly scheduler = new TurnScheduler<WaitingGroup>(TURN_LIMITS, (members, keys) => this.turn(members, keys));

  constructor(
    private readonly executor: CommandExecutor,
    private readonly states: GroupTurnStates,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async run<View>(command: Unstamped<GroupCommand>, present: (outcome: GroupOutcome) => View, context: CommandContext): Promise<View> {
    // A recorded group never changes its legs, and a command names its references itself, so
    // the streams to hold are known before the turn. A new group has no stream to read.
    const planned = stamp<GroupCommand>(command, this.clock.now(), context);
    const creates = command.type === 'RecordGroup';
    const group = creates ? { ...initialGroupState, groupId: command.groupId } : await this.states.group(command.groupId);
    const walletIds = walletsOfGroupCommand(planned, group);
    const references = referencesOfGroupCommand(planned);
    const keys = [groupStream(command.groupId), ...newGroupStreams(command), ...references.map(groupReferenceStream), ...walletIds.map(walletStream)];
    return new Promise<View>((resolve, reject) => {
      this.scheduler.add({ command, creates, walletIds, references, keys, present, context, resolve: resolve as (view: unknown) => void, reject });
    });
  }

  private async turn(members: readonly WaitingGroup[], keys: readonly string[]): Promise<void> {
    try {
      const contexts = members.map((member) => member.context);
      const decide: Decide = (catchUp, skipped) => this.decide(members, catchUp, skipped);
      const results = await this.executor.run(keys, () => ({ contexts, decide, learn: (missed) => this.states.learn(missed) }));
      results.forEach((result, index) => (result.status === 'fulfilled' ? members[index]!.resolve(result.value) : members[index]!.reject(result.reason)));
    } catch (error) {
      for (const member of members) member.reject(error);
    }
  }

  /**
   * One attempt at the turn. States come from the cache (or, for new groups and free
   * references, are taken as they must be) unless `catchUp`; the append checks them all for
   * the commands it writes. A refusal appends nothing, so the streams it was judged on that
   * nothing checks are read again first; when one was behind, the turn is decided again on
   * states read to the end of their streams.
   */
  private async decide(members: readonly WaitingGroup[], catchUp: boolean, skipped: ReadonlySet<number>): Promise<Attempt> {
    for (let fresh = catchUp; ; fresh = true) {
      const loaded = await this.states.load(members, fresh);
      const now = this.clock.now();
      const commands = members.map((member, index) => (skipped.has(index) ? null : stamp<GroupCommand>(member.command, now, member.context)));
      const turn = decideGroupTurn(commands, loaded.states);
      const unconfirmed = unconfirmedStreams(turn, new Set(loaded.assumed.keys()));
      if (fresh || unconfirmed.length === 0 || !(await this.states.anyBehind(unconfirmed, loaded.assumed))) return this.attempt(members, turn);
    }
  }

  private attempt(members: readonly WaitingGroup[], turn: DecidedTurn): Attempt {
    const outcomes = turn.outcomes.map((outcome, index): Outcome => {
      // The executor answers a command it left out itself.
      if (outcome === null) return { refused: null };
      if (!outcome.accepted) return { refused: outcome.refused };
      const { groupAfter: group, walletsBefore, decision } = outcome;
      return { appends: outcome.appends, present: (appended) => members[index]!.present({ group, walletsBefore, decision, appended: appended! }) };
    });
    return { outcomes, cached: false, committed: () => this.states.remember(turn.after) };
  }
}

/** The stream of the group a command creates beside its own: a reversal's. Held like the others. */
function newGroupStreams(command: Unstamped<GroupCommand>): string[] {
  return command.type === 'ReverseGroup' ? [groupStream(command.reversalGroupId)] : [];
}
