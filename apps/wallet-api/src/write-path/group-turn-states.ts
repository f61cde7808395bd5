import { Inject, Injectable } from '@nestjs/common';
import {
  type GroupCommand,
  type GroupState,
  type WalletState,
  decodeGroupReferenceEvent,
  groupReferenceStream,
  groupStream,
  walletStream,
} from '@wallet/domain';
import { EVENT_STORE, type EventStore, type MissedEvents } from '@wallet/event-store';
import type { Unstamped } from './command-context';
import { GroupStates } from './group-states';
import type { TurnStates } from './group-turn';
import { WalletStates } from './wallet-states';

/** A group command waiting for its turn, with the streams it needs. */
export interface GroupTurnMember {
  readonly command: Unstamped<GroupCommand>;
  /** It records a new group (with a fresh id): its stream cannot exist yet. */
  readonly creates: boolean;
  readonly walletIds: readonly string[];
  readonly references: readonly string[];
  readonly keys: readonly string[];
}

export interface LoadedTurn {
  readonly states: TurnStates;
  /** Streams taken as they are without reading them (cached, or new), with the events assumed in each. */
  readonly assumed: ReadonlyMap<string, number>;
}

/**
 * The states a turn of group commands decides on. Wallets come from the cache; a new group
 * and an unreserved reference are taken as they must be (empty streams), which the append
 * checks with `no_stream`; with `fresh`, every stream is read to its end instead.
 */
@Injectable()
export class GroupTurnStates {
  constructor(
    private readonly wallets: WalletStates,
    private readonly groups: GroupStates,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  group(groupId: string): Promise<GroupState> {
    return this.groups.load(groupId);
  }

  async load(members: readonly GroupTurnMember[], fresh: boolean): Promise<LoadedTurn> {
    const assumed = new Map<string, number>();
    const walletIds = [...new Set(members.flatMap((member) => member.walletIds))];
    const loaded = await this.wallets.loadMany(walletIds, fresh);
    const wallets = new Map<string, WalletState>();
    loaded.forEach(({ state, cached }, index) => {
      wallets.set(walletIds[index]!, state);
      if (cached) assumed.set(walletStream(walletIds[index]!), state.version);
    });
    // Groups are read after their wallets, so a group is never older than they are: a wallet
    // that already shows a group's settlement or reversal comes with a group that shows it
    // too, and a command is refused for what happened to the group, not for a leg.
    const read = members.filter((member) => fresh || !member.creates).map((member) => member.command.groupId);
    const groupIds = [...new Set(read)];
    const groups = new Map((await Promise.all(groupIds.map((id) => this.groups.load(id)))).map((group) => [group.groupId, group]));
    for (const member of members) if (!fresh && member.creates) assumed.set(groupStream(member.command.groupId), 0);
    const references = [...new Set(members.flatMap((member) => member.references))];
    const holders = fresh ? await this.referenceHolders(references) : new Map<string, string>();
    if (!fresh) for (const reference of references) assumed.set(groupReferenceStream(reference), 0);
    return { states: { wallets, groups, holders }, assumed };
  }

  /** Whether any of `streams` holds more events than the turn assumed. */
  async anyBehind(streams: readonly string[], assumed: ReadonlyMap<string, number>): Promise<boolean> {
    const reads = streams.map((stream) => ({ stream, fromRevision: assumed.get(stream) ?? 0 }));
    const pages = this.store.readStreams
      ? await this.store.readStreams(reads, 1)
      : await Promise.all(reads.map(({ stream, fromRevision }) => this.store.readStream(stream, { fromRevision, maxCount: 1 })));
    return pages.some((page) => page.length > 0);
  }

  /** See WalletStates.learn: a group or reference stream that moved on is read again instead. */
  learn(missed: ReadonlyMap<string, MissedEvents>): boolean {
    return this.wallets.learn(missed);
  }

  /** The wallets as a committed turn left them. */
  remember(wallets: ReadonlyMap<string, WalletState>): void {
    for (const [walletId, state] of wallets) if (state.exists) this.wallets.remember(walletId, state);
  }

  /**
   * The group holding each reference, read from the reference's own stream: its first event
   * names the group for ever. Other processes may reserve a reference at any moment, so these
   * are never cached.
   */
  private async referenceHolders(references: readonly string[]): Promise<Map<string, string>> {
    const firsts = await Promise.all(references.map((reference) => this.store.readStream(groupReferenceStream(reference), { fromRevision: 0, maxCount: 1 })));
    const holders = new Map<string, string>();
    firsts.forEach(([first], index) => {
      if (first) holders.set(references[index]!, decodeGroupReferenceEvent(first).data.groupId);
    });
    return holders;
  }
}
