import { Injectable } from '@nestjs/common';

/**
 * Runs tasks one at a time per key, in arrival order, and tasks on disjoint keys in parallel.
 * Commands on one wallet then queue in this process instead of racing each other into
 * revision conflicts; writers in other processes are still caught by expected revisions.
 */
@Injectable()
export class KeyedSerialQueue {
  private readonly tails = new Map<string, Promise<void>>();

  /**
   * Runs a task holding several keys: it starts once every task registered before it on any
   * of its keys has ended. A task only ever waits for tasks registered before it, so two
   * tasks over overlapping keys can never wait for each other in a cycle, and all the keys
   * are taken in one step, however many (a turn of groups holds dozens).
   */
  runExclusive<T>(keys: readonly string[], task: () => Promise<T>): Promise<T> {
    const unique = [...new Set(keys)];
    const before = unique.flatMap((key) => this.tails.get(key) ?? []);
    const result = (before.length === 0 ? Promise.resolve() : before.length === 1 ? before[0]! : Promise.all(before)).then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    for (const key of unique) this.tails.set(key, tail);
    void tail.then(() => {
      for (const key of unique) if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
