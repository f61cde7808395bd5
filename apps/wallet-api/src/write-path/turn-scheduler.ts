/** Something that waits for a turn, holding these keys while the turn runs. */
export interface TurnMember {
  readonly keys: readonly string[];
}

export interface TurnLimits {
  /** Turns running at once; members that arrive meanwhile wait and share the next ones. */
  readonly turnsMax: number;
  /** Members of one turn at most: bounds one append and its answers' wait. */
  readonly membersMax: number;
  /** Distinct keys of one turn at most (streams of one append); its first member may go over. */
  readonly keysMax: number;
}

/**
 * Groups waiting members into turns. A turn takes, in arrival order, every waiting member
 * whose keys no running turn holds, overlapping members included: those are the point, they
 * are decided one after the other in the turn and appended together. A member that must wait
 * for a running turn blocks its keys for later members too, so members that share a key are
 * always served in arrival order. Running turns never share a key.
 */
export class TurnScheduler<Member extends TurnMember> {
  private readonly waiting: Member[] = [];
  private readonly running = new Set<ReadonlySet<string>>();

  constructor(
    private readonly limits: TurnLimits,
    /** Runs one turn holding `keys`; must not reject. */
    private readonly runTurn: (members: Member[], keys: readonly string[]) => Promise<void>,
  ) {}

  add(member: Member): void {
    this.waiting.push(member);
    this.pump();
  }

  private pump(): void {
    while (this.running.size < this.limits.turnsMax) {
      const turn = this.takeTurn();
      if (turn.members.length === 0) return;
      this.running.add(turn.keys);
      void this.runTurn(turn.members, [...turn.keys]).finally(() => {
        this.running.delete(turn.keys);
        this.pump();
      });
    }
  }

  private takeTurn(): { members: Member[]; keys: Set<string> } {
    const blocked = new Set<string>();
    for (const keys of this.running) for (const key of keys) blocked.add(key);
    const members: Member[] = [];
    const keys = new Set<string>();
    for (let index = 0; index < this.waiting.length && members.length < this.limits.membersMax; ) {
      const member = this.waiting[index]!;
      if (member.keys.some((key) => blocked.has(key))) {
        for (const key of member.keys) blocked.add(key);
        index += 1;
        continue;
      }
      const added = member.keys.filter((key) => !keys.has(key)).length;
      if (members.length > 0 && keys.size + added > this.limits.keysMax) break;
      for (const key of member.keys) keys.add(key);
      members.push(member);
      this.waiting.splice(index, 1);
    }
    return { members, keys };
  }
}
