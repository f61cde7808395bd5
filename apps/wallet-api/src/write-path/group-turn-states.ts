import { Inject, Injectable } from '@nestjs/common';
import {
  type GroupCommand,
  type GroupState,
  type WalletState,
  decodeGroupReferenceEvent,
  groupReferenceStream,
  groupStream,
  isGroupReferenceStream,
  isWalletStream,
  walletStream,
} from '@wallet/domain';
import { EVENT_STORE, type EventStore, type MissedEvents, type RecordedEvent, readEachStream } from '@wallet/event-store';
import { LRUCache } from 'lru-cache';
import type { Unstamped } from './command-context';
import { GroupStates } from './group-states';
import type { TurnStates } from './group-turn';
import { WalletStates } from './wallet-states';

/** References remembered as taken, at most: a forgotten one is read again when named. */
const TAKEN_REFERENCES_MAX = 100_000;

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
  /** References known to be taken, and by which group: a reservation is never undone. */
  private readonly taken = new LRUCache<string, string>({ max: TAKEN_REFERENCES_MAX });

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
    const groups = new Map((await this.groups.loadMany(groupIds)).map((group) => [group.groupId, group]));
    for (const member of members) if (!fresh && member.creates) assumed.set(groupStream(member.command.groupId), 0);
    const references = [...new Set(members.flatMap((member) => member.references))];
    // A reference once taken is taken for ever: one known taken needs no read. Any other is
    // read with `fresh`, or else taken to be free (the append's no_stream checks it).
    const holders = new Map<string, string>();
    const unknown: string[] = [];
    for (const reference of references) {
      const holder = this.taken.get(reference);
      if (holder === undefined) unknown.push(reference);
      else holders.set(reference, holder);
    }
    if (fresh) for (const [reference, holder] of await this.referenceHolders(unknown)) holders.set(reference, holder);
    else for (const reference of unknown) assumed.set(groupReferenceStream(reference), 0);
    return { states: { wallets, groups, holders }, assumed };
  }

  /** Whether any of `streams` holds more events than the turn assumed. */
  async anyBehind(streams: readonly string[], assumed: ReadonlyMap<string, number>): Promise<boolean> {
    const pages = await this.firstEvents(streams, assumed);
    return pages.some((page) => page.length > 0);
  }

  /**
   * Folds what a conflict said was missed: wallets as WalletStates.learn does, a reference
   * another group took as taken. True when every stream that moved on is now known; a group's
   * stream that moved on means reading again.
   */
  learn(missed: ReadonlyMap<string, MissedEvents>): boolean {
    const wallets = new Map<string, MissedEvents>();
    let known = true;
    for (const [stream, part] of missed) {
      if (isWalletStream(stream)) {
        wallets.set(stream, part);
      } else if (isGroupReferenceStream(stream) && part.events[0]) {
        const { reference, groupId } = decodeGroupReferenceEvent(part.events[0]).data;
        this.taken.set(reference, groupId);
      } else {
        known = false;
      }
    }
    return this.wallets.learn(wallets) && known;
  }

  /** The wallets and references as a committed turn left them. */
  remember(after: TurnStates): void {
    for (const [walletId, state] of after.wallets) if (state.exists) this.wallets.remember(walletId, state);
    for (const [reference, groupId] of after.holders) this.taken.set(reference, groupId);
  }

  /**
   * The group holding each reference, read from the reference's own stream: its first event
   * names the group for ever. Other processes may reserve a reference at any moment, so these
   * are never cached.
   */
  private async referenceHolders(references: readonly string[]): Promise<Map<string, string>> {
    const firsts = await this.firstEvents(references.map(groupReferenceStream));
    const holders = new Map<string, string>();
    firsts.forEach(([first], index) => {
      if (!first) return;
      const { groupId } = decodeGroupReferenceEvent(first).data;
      holders.set(references[index]!, groupId);
      this.taken.set(references[index]!, groupId);
    });
    return holders;
  }

  /** The first event of each stream from `fromRevision` (0 unless given). */
  private firstEvents(streams: readonly string[], fromRevisions?: ReadonlyMap<string, number>): Promise<RecordedEvent[][]> {
    return readEachStream(this.store, streams.map((stream) => ({ stream, fromRevision: fromRevisions?.get(stream) ?? 0 })), 1);
  }
}
