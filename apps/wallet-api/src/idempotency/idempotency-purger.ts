import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { IDEMPOTENCY_STORE, type IdempotencyStore } from '@wallet/event-store';

const PURGE_INTERVAL_MS = 10 * 60_000;
const PURGE_BATCH_SIZE = 1_000;
const PURGE_BATCHES_MAX = 100;

/** Deletes expired idempotency records every few minutes, in bounded batches. */
@Injectable()
export class IdempotencyPurger implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(IdempotencyPurger.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(@Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.purge(), PURGE_INTERVAL_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async purge(): Promise<number> {
    let purged = 0;
    try {
      for (let batch = 0; batch < PURGE_BATCHES_MAX; batch += 1) {
        const deleted = await this.store.purgeExpired(PURGE_BATCH_SIZE);
        purged += deleted;
        if (deleted < PURGE_BATCH_SIZE) break;
      }
    } catch (error) {
      this.logger.warn(`Purging expired idempotency keys failed: ${(error as Error).message}`);
    }
    return purged;
  }
}
