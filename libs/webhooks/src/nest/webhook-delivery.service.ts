import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@wallet/config';
import { EVENT_STORE, type EventStore } from '@wallet/event-store';
import { PG_POOL } from '@wallet/postgres';
import { hostname } from 'node:os';
import type { Pool } from 'pg';
import { v4 as uuidv4 } from 'uuid';
import { DeliveryStore } from '../delivery-store';
import type { DeliverySettings } from '../endpoint-delivery';
import { WebhookDispatcher } from '../webhook-dispatcher';
import { WebhookSender } from '../webhook-sender';

/** Batches one claim of an endpoint delivers before it goes back in line behind other due endpoints. */
const BATCHES_PER_CLAIM = 20;

export function deliverySettings(config: AppConfig): DeliverySettings {
  return {
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    leaseMs: config.WEBHOOK_LEASE_MS,
    idleMs: config.WEBHOOK_POLL_MS,
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

  constructor(@Inject(PG_POOL) pool: Pool, @Inject(EVENT_STORE) store: EventStore, @Inject(APP_CONFIG) config: AppConfig) {
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
  }

  async onModuleDestroy(): Promise<void> {
    this.controller.abort();
    await this.running.catch(() => undefined);
    this.sender.close();
  }
}
