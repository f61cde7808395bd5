import type { EventStore } from './event-store.port';

/**
 * The newest position a reader that starts after it can never miss an event behind: the store's
 * visible head where it has one, else its head (positions given at commit).
 */
export function visibleHead(store: EventStore): Promise<bigint> {
  return store.visibleHeadPosition ? store.visibleHeadPosition() : store.headPosition();
}
