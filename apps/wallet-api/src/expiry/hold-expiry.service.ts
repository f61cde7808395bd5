import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, CLOCK, type Clock } from '@wallet/config';
import { DomainError } from '@wallet/domain';
import { findExpiredHolds } from '@wallet/read-model';
import { PG_POOL } from '@wallet/postgres';
import type { Pool } from 'pg';
import { randomUUID } from 'node:crypto';
import { GroupCommandRunner } from '../write-path/group-command-runner';
import { WalletCommandRunner } from '../write-path/wallet-command-runner';

/** Outcomes that mean another process (or an earlier tick) got there first. */
const ALREADY_SETTLED = new Set(['TRANSACTION_NOT_PENDING', 'GROUP_NOT_PENDING', 'HOLD_NOT_EXPIRED', 'TRANSACTION_NOT_FOUND']);

/**
 * Rejects pending holds and groups once their expiresAt has passed, each as a command of its
 * own (reason "expired"): at start first, then every EXPIRY_INTERVAL_MS. The domain refuses
 * to settle twice, so several instances, restarts and retries expire each hold exactly once.
 */
@Injectable()
export class HoldExpiryService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('HoldExpiry');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly wallets: WalletCommandRunner,
    private readonly groups: GroupCommandRunner,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.expireDue();
    this.timer = setInterval(() => void this.expireDue(), this.config.EXPIRY_INTERVAL_MS).unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Expires what is due now; one pass at a time. Returns how many holds and groups it expired. */
  expireDue(): Promise<number> {
    this.running ??= this.expireBatch().finally(() => (this.running = undefined));
    return this.running;
  }

  private async expireBatch(): Promise<number> {
    try {
      const { holds, groupIds } = await findExpiredHolds(this.pool, this.clock.now(), this.config.EXPIRY_BATCH_SIZE);
      const context = { requestId: `expiry-${randomUUID()}` };
      const outcomes = await Promise.all([
        ...holds.map(({ walletId, transactionId }) =>
          this.settle(this.wallets.run({ type: 'ExpireHold', walletId, transactionId }, () => undefined, context)),
        ),
        ...groupIds.map((groupId) => this.settle(this.groups.run({ type: 'ExpireGroup', groupId }, () => undefined, context))),
      ]);
      const expired = outcomes.filter(Boolean).length;
      if (expired > 0) this.logger.log(`Expired ${expired} holds and groups`);
      return expired;
    } catch (error) {
      this.logger.warn(`Expiring holds failed: ${(error as Error).message}`);
      return 0;
    }
  }

  private async settle(command: Promise<unknown>): Promise<boolean> {
    try {
      await command;
      return true;
    } catch (error) {
      if (error instanceof DomainError && ALREADY_SETTLED.has(error.code)) return false;
      throw error;
    }
  }
}
