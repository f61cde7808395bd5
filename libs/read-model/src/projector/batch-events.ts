import { decodeGroupEvent, decodeWalletEvent, isGroupStream, isWalletStream } from '@wallet/domain';
import type { RecordedEvent } from '@wallet/event-store';
import type { ProjectedEvent } from './projection';

/** Wallet streams hold the wallet events. */
export const isWalletEvent = (event: RecordedEvent): boolean => isWalletStream(event.stream);

/** Group streams hold the group events. */
export const isGroupEvent = (event: RecordedEvent): boolean => isGroupStream(event.stream);

/** A batch's domain events, and the wallets whose balance rows folding them needs. */
export interface DecodedBatch {
  readonly events: readonly ProjectedEvent[];
  readonly walletIds: ReadonlySet<string>;
}

/** The batch's wallet and group events, decoded (and upcast) by the domain; events of other streams are not the read models'. */
export function decodeBatch(batch: readonly RecordedEvent[]): DecodedBatch {
  const events: ProjectedEvent[] = [];
  const walletIds = new Set<string>();
  for (const recorded of batch) {
    if (isWalletEvent(recorded)) {
      const event = decodeWalletEvent(recorded);
      walletIds.add(event.data.walletId);
      events.push({ position: recorded.position, revision: recorded.revision, event });
    } else if (isGroupEvent(recorded)) {
      events.push({ position: recorded.position, revision: recorded.revision, event: decodeGroupEvent(recorded) });
    }
  }
  return { events, walletIds };
}
