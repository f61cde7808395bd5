import { TurnScheduler } from './turn-scheduler';

interface Member {
  readonly name: string;
  readonly keys: readonly string[];
}

/** A scheduler whose turns end only when the spec lets them, recording each turn's members. */
function scheduler(limits: { turnsMax: number; membersMax?: number; keysMax?: number }) {
  const turns: string[][] = [];
  const finishers: (() => void)[] = [];
  const scheduled = new TurnScheduler<Member>({ membersMax: 256, keysMax: 1_000, ...limits }, (members) => {
    turns.push(members.map((m) => m.name));
    return new Promise<void>((resolve) => finishers.push(resolve));
  });
  const finish = async (index: number): Promise<void> => {
    finishers[index]!();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { add: (name: string, ...keys: string[]) => scheduled.add({ name, keys }), turns, finish };
}

describe('TurnScheduler', () => {
  it('gathers members that share a key while the turn holding it runs, in arrival order', async () => {
    const s = scheduler({ turnsMax: 4 });
    s.add('g1', 'system', 'a');
    s.add('g2', 'system', 'b');
    s.add('g3', 'c', 'system');
    expect(s.turns).toEqual([['g1']]);
    await s.finish(0);
    expect(s.turns).toEqual([['g1'], ['g2', 'g3']]);
  });

  it('runs turns on disjoint keys at once, up to turnsMax', () => {
    const s = scheduler({ turnsMax: 2 });
    s.add('g1', 'a', 'b');
    s.add('g2', 'c', 'd');
    s.add('g3', 'e', 'f');
    expect(s.turns).toEqual([['g1'], ['g2']]);
  });

  it('keeps a later member behind an earlier one that waits on a shared key', async () => {
    const s = scheduler({ turnsMax: 4 });
    s.add('g1', 'a');
    s.add('g2', 'a', 'b');
    // g3 shares only b, with g2, which waits for a: it must not pass g2.
    s.add('g3', 'b');
    s.add('g4', 'z');
    expect(s.turns).toEqual([['g1'], ['g4']]);
    await s.finish(0);
    expect(s.turns[2]).toEqual(['g2', 'g3']);
  });

  it('bounds a turn by members and by keys', async () => {
    const s = scheduler({ turnsMax: 1, membersMax: 2, keysMax: 3 });
    s.add('g0', 'x');
    for (const name of ['g1', 'g2', 'g3']) s.add(name, 'system', name);
    await s.finish(0);
    // g1 and g2 make three keys: g3 would make four.
    expect(s.turns[1]).toEqual(['g1', 'g2']);
    await s.finish(1);
    expect(s.turns[2]).toEqual(['g3']);
  });
});
