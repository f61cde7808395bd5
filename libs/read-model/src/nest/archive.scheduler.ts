import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, CLOCK, type Clock } from '@wallet/config';
import type { Pool } from 'pg';
import { type ArchiveResult, archiveTransactions } from '../archive/archive';
import { PG_POOL } from '@wallet/postgres';

const DAY_MS = 86_400_000;

/**
 * Archives the transactions done with and older than ARCHIVE_AFTER_DAYS (see
 * archiveTransactions) every ARCHIVE_INTERVAL_MS, one run at a time. Runs beside the
 * projector; a run in progress finishes before the pool closes.
 */
@Injectable()
export class ArchiveScheduler implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Archive');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<ArchiveResult | undefined> | undefined;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.archiveNow(), this.config.ARCHIVE_INTERVAL_MS).unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Runs the archive unless a run is still going; resolves with its counts, undefined if skipped or failed. */
  archiveNow(): Promise<ArchiveResult | undefined> {
    if (this.running) return Promise.resolve(undefined);
    this.running = this.archive().finally(() => (this.running = undefined));
    return this.running;
  }

  private async archive(): Promise<ArchiveResult | undefined> {
    const olderThan = new Date(this.clock.now().getTime() - this.config.ARCHIVE_AFTER_DAYS * DAY_MS);
    try {
      const result = await archiveTransactions(this.pool, { olderThan });
      const more = result.more ? '; more are left for the next run' : '';
      this.logger.log(`Archived ${result.moved} transactions last changed before ${olderThan.toISOString()} (${result.batches} ${result.batches === 1 ? 'statement' : 'statements'})${more}`);
      return result;
    } catch (error) {
      this.logger.warn(`Archiving transactions failed: ${(error as Error).message}`);
      return undefined;
    }
  }
}
