import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@wallet/config';
import { EVENT_STORE, type EventStore } from '@wallet/event-store';
import { PG_POOL } from '@wallet/postgres';
import { hostname } from 'node:os';
import type { Pool } from 'pg';
import { v4 as uuidv4 } from 'uuid';
import { pruneDeliveryLog } from '../delivery-log-pruner';
import { DeliveryStore } from '../delivery-store';
import type { DeliverySettings } from '../endpoint-delivery';
import { WebhookDispatcher } from '../webhook-dispatcher';
import { WebhookSender } from '../webhook-sender';

/** Batches one claim of an endpoint delivers before it goes back in line behind other due endpoints. */
const BATCHES_PER_CLAIM = 20;
/** How often the delivery log is pruned of attempts older than WEBHOOK_DELIVERY_LOG_DAYS. */
const PRUNE_INTERVAL_MS = 60_000;

export function deliverySettings(config: AppConfig): DeliverySettings {
  return {
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    leaseMs: config.WEBHOOK_LEASE_MS,
    retryBaseMs: config.WEBHOOK_RETRY_BASE_MS,
    retryMaxMs: config.WEBHOOK_RETRY_MAX_MS,
    disableAfterMs: config.WEBHOOK_DISABLE_AFTER_SECONDS * 1000,
    batchesPerClaim: BATCHES_PER_CLAIM,
  };
}

/**
 * Webhook delivery for the lifetime of a Nest application (the projector's process, or the API's
 * when it runs the projector): started at bootstrap, stopped before the pool is ended.
 */
@Injectable()
export class WebhookDeliveryService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Webhooks');
  private readonly controller = new AbortController();
  private readonly sender: WebhookSender;
  private readonly dispatcher: WebhookDispatcher;
  private running: Promise<void> = Promise.resolve();
  private pruning: NodeJS.Timeout | undefined;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.sender = new WebhookSender(config.WEBHOOK_ALLOW_PRIVATE_URLS);
    const deliveries = new DeliveryStore(pool, `${hostname()}:${process.pid}:${uuidv4()}`);
    this.dispatcher = new WebhookDispatcher(
      {
        store,
        pool,
        deliveries,
        sender: this.sender,
        settings: deliverySettings(config),
        onAttempt: (endpoint, batch, error) => {
          if (error) this.logger.warn(`endpoint ${endpoint.id}: batch ${batch.webhookId} (${batch.firstPosition}..${batch.lastPosition}) failed: ${error}`);
        },
      },
      { concurrencyMax: config.WEBHOOK_CONCURRENCY_MAX, pollMs: config.WEBHOOK_POLL_MS, log: (message) => this.logger.warn(message) },
    );
  }

  onApplicationBootstrap(): void {
    this.running = this.dispatcher.run(this.controller.signal);
    this.pruning = setInterval(() => {
      pruneDeliveryLog(this.pool, this.config.WEBHOOK_DELIVERY_LOG_DAYS).catch((error: unknown) => this.logger.warn(`delivery log not pruned: ${String(error)}`));
    }, PRUNE_INTERVAL_MS);
    this.pruning.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.pruning);
    this.controller.abort();
    await this.running.catch(() => undefined);
    this.sender.close();
  }
}
