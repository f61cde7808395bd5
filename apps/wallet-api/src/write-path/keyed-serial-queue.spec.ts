import { KeyedSerialQueue } from './keyed-serial-queue';

/** A task that records its start and ends when the spec lets it. */
function gate(log: string[], name: string): { task: () => Promise<string>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {
    task: async () => {
      log.push(name);
      await opened;
      return name;
    },
    open: () => open(),
  };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('KeyedSerialQueue', () => {
  it('runs tasks on one key one at a time, in arrival order, and tasks on disjoint keys at once', async () => {
    const queue = new KeyedSerialQueue();
    const log: string[] = [];
    const [a1, a2, b] = [gate(log, 'a1'), gate(log, 'a2'), gate(log, 'b')];
    const results = [queue.runExclusive(['a'], a1.task), queue.runExclusive(['a'], a2.task), queue.runExclusive(['b'], b.task)];
    await settle();
    expect(log).toEqual(['a1', 'b']);
    a1.open();
    await settle();
    expect(log).toEqual(['a1', 'b', 'a2']);
    a2.open();
    b.open();
    await expect(Promise.all(results)).resolves.toEqual(['a1', 'a2', 'b']);
  });

  it('starts a task over several keys once every earlier task on any of them has ended', async () => {
    const queue = new KeyedSerialQueue();
    const log: string[] = [];
    const [x, y, xy, y2] = [gate(log, 'x'), gate(log, 'y'), gate(log, 'xy'), gate(log, 'y2')];
    void queue.runExclusive(['x'], x.task);
    void queue.runExclusive(['y'], y.task);
    void queue.runExclusive(['x', 'y'], xy.task);
    // Registered after xy on y: waits for xy, though y's own task may end first.
    void queue.runExclusive(['y'], y2.task);
    await settle();
    y.open();
    await settle();
    expect(log).toEqual(['x', 'y']);
    x.open();
    await settle();
    expect(log).toEqual(['x', 'y', 'xy']);
    xy.open();
    await settle();
    expect(log).toEqual(['x', 'y', 'xy', 'y2']);
    y2.open();
  });

  it('goes on after a task fails, and lets go of keys nobody waits for', async () => {
    const queue = new KeyedSerialQueue();
    await expect(queue.runExclusive(['k', 'k', 'l'], () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    await expect(queue.runExclusive(['k'], async () => 'after')).resolves.toBe('after');
    await settle();
    expect((queue as unknown as { tails: Map<string, unknown> }).tails.size).toBe(0);
  });
});
