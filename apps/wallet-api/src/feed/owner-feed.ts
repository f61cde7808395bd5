import { Injectable } from '@nestjs/common';
import type { OwnerRef } from '@wallet/access';
import { isWalletStream, walletIdOfStream } from '@wallet/domain';
import type { RecordedEvent } from '@wallet/event-store';
import { OwnerAccess } from '../auth/owner-access';
import { UnavailableError } from '../http/unavailable.error';
import { ReadModelGate } from '../http/read-model-gate.service';

/** Pause of a stream whose read model is behind before it waits again. */
const STREAM_RETRY_MS = 500;

/**
 * The feed as an owner-scoped key sees it: events of the wallets its owner holds, nothing
 * else (group streams name every leg's wallet, so they are left out; each leg's own wallet
 * event is there). Ownership is read from the read model once it has reached the batch, so
 * an event of a wallet opened just before it is never dropped for being too new.
 */
@Injectable()
export class OwnerFeed {
  constructor(
    private readonly owners: OwnerAccess,
    private readonly gate: ReadModelGate,
  ) {}

  /**
   * The events the owner may see. Without `signal` (a page) a read model too far behind
   * answers 503 READ_MODEL_BEHIND; with it (a stream) the wait goes on until the client leaves.
   */
  async visible(events: readonly RecordedEvent[], owner: OwnerRef, signal?: AbortSignal): Promise<RecordedEvent[]> {
    const walletIds = [...new Set(events.filter((event) => isWalletStream(event.stream)).map((event) => walletIdOfStream(event.stream)))];
    if (walletIds.length === 0) return [];
    await this.reach(events[events.length - 1]!.position, signal);
    const held = await this.owners.held(walletIds, owner);
    return events.filter((event) => isWalletStream(event.stream) && held.has(walletIdOfStream(event.stream)));
  }

  private async reach(position: bigint, signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      try {
        await this.gate.reach(position);
        return;
      } catch (error) {
        const behind = error instanceof UnavailableError && error.code === 'READ_MODEL_BEHIND';
        if (!behind || !signal || signal.aborted) throw error;
        await new Promise((resolve) => setTimeout(resolve, STREAM_RETRY_MS));
      }
    }
  }
}
