import { Injectable } from '@nestjs/common';

/**
 * Runs tasks one at a time per key, in arrival order, and different keys in parallel.
 * Commands on one wallet then queue in this process instead of racing each other into
 * revision conflicts; writers in other processes are still caught by expected revisions.
 */
@Injectable()
export class KeyedSerialQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /**
   * Runs a task holding several keys. Keys are taken in sorted order, so two tasks over
   * overlapping keys can never wait for each other in a cycle.
   */
  runExclusive<T>(keys: readonly string[], task: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(keys)].sort();
    const nest = (index: number): Promise<T> => (index === sorted.length ? task() : this.run(sorted[index]!, () => nest(index + 1)));
    return nest(0);
  }
}
