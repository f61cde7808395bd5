import { decodeGroupEvent, decodeWalletEvent, isGroupStream, isWalletStream } from '@wallet/domain';
import type { RecordedEvent } from '@wallet/event-store';
import type { ProjectedEvent } from './changeset';
import type { ProjectedGroupEvent } from './group-changes';

/** Wallet streams feed every read model but transaction_groups. */
export const isWalletEvent = (event: RecordedEvent): boolean => isWalletStream(event.stream);

/** Group streams feed the transaction_groups read model. */
export const isGroupEvent = (event: RecordedEvent): boolean => isGroupStream(event.stream);

/** The batch's wallet events, decoded (and upcast) by the domain. */
export function walletEvents(batch: readonly RecordedEvent[]): ProjectedEvent[] {
  const events: ProjectedEvent[] = [];
  for (const recorded of batch) {
    if (isWalletEvent(recorded)) events.push({ position: recorded.position, revision: recorded.revision, event: decodeWalletEvent(recorded) });
  }
  return events;
}

/** The batch's group events, decoded by the domain. */
export function groupEvents(batch: readonly RecordedEvent[]): ProjectedGroupEvent[] {
  return batch.filter(isGroupEvent).map((recorded) => ({ position: recorded.position, event: decodeGroupEvent(recorded) }));
}
