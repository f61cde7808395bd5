import type { EventStore } from '@wallet/event-store';
import { toFeedItem } from '@wallet/domain';
import type { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { readBatch } from './batch-reader';
import type { DeliveryStore, LeasedEndpoint, PendingBatch } from './delivery-store';
import { retryDelayMs } from './retry-delay';
import { signWebhook } from './webhook-secret';
import type { WebhookSender } from './webhook-sender';

/** The delivery settings (WEBHOOK_* in the configuration). */
export interface DeliverySettings {
  readonly timeoutMs: number;
  readonly leaseMs: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly disableAfterMs: number;
  /** Batches one claim delivers before the endpoint goes back to the queue (fairness among endpoints). */
  readonly batchesPerClaim: number;
}

export interface DeliveryDeps {
  readonly store: EventStore;
  readonly pool: Pool;
  readonly deliveries: DeliveryStore;
  readonly sender: WebhookSender;
  readonly settings: DeliverySettings;
  readonly random?: () => number;
  /** Told of every attempt: metrics and logs. */
  readonly onAttempt?: (endpoint: LeasedEndpoint, batch: PendingBatch, error: string | null) => void;
}

/**
 * Delivers one leased endpoint: the batch it was sending, if any, then new batches in position
 * order while they succeed, up to `batchesPerClaim`. A failure ends the claim with the next
 * attempt scheduled; nothing later is sent before the batch that failed. Answers true when it
 * stopped with batches still due (the claim's share used up), so that it is claimed again at once.
 */
export async function deliverEndpoint(deps: DeliveryDeps, leased: LeasedEndpoint, signal: AbortSignal): Promise<boolean> {
  let endpoint = leased;
  for (let sent = 0; sent < deps.settings.batchesPerClaim; sent++) {
    if (signal.aborted) return false;
    const batch = endpoint.batch ?? (await nextBatch(deps, endpoint));
    if (!batch) return false;
    const delivered = await attempt(deps, { ...endpoint, batch }, batch, signal);
    if (!delivered) return false;
    endpoint = { ...endpoint, deliveredThrough: batch.nextAfter, batch: undefined, attempt: 0 };
  }
  return true;
}

/** Reads and records the next batch; undefined when there is nothing to send (the cursor moves past what was skipped). */
async function nextBatch(deps: DeliveryDeps, endpoint: LeasedEndpoint): Promise<PendingBatch | undefined> {
  const { events, nextAfter } = await readBatch(deps.store, deps.pool, endpoint);
  if (events.length === 0) {
    await deps.deliveries.idle(endpoint.id, endpoint.deliveredThrough, nextAfter);
    return undefined;
  }
  const webhookId = `msg_${uuidv7()}`;
  const body = JSON.stringify({ endpointId: endpoint.id, items: events.map(toFeedItem) });
  const batch = { webhookId, firstPosition: events[0]!.position, lastPosition: events[events.length - 1]!.position, nextAfter, body };
  return (await deps.deliveries.begin(endpoint.id, endpoint.deliveredThrough, batch)) ? batch : undefined;
}

/** One signed POST of the batch; true when it was delivered and the cursor moved past it. */
async function attempt(deps: DeliveryDeps, endpoint: LeasedEndpoint, batch: PendingBatch, signal: AbortSignal): Promise<boolean> {
  const { settings } = deps;
  // The lease now outlasts this attempt (its timeout is shorter), so no other process sends meanwhile.
  const secrets = await deps.deliveries.renew(endpoint.id, settings.leaseMs);
  if (!secrets) return false;
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    'webhook-id': batch.webhookId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook(secrets, batch.webhookId, timestamp, batch.body),
  };
  const outcome = await deps.sender.post({ url: endpoint.url, headers, body: batch.body, timeoutMs: settings.timeoutMs, signal });
  // Stopping mid-request proves nothing about the receiver: the batch is sent again, under the same id.
  if (signal.aborted) return false;
  const retryMs = retryDelayMs(endpoint.attempt + 1, (deps.random ?? Math.random)(), settings.retryBaseMs, settings.retryMaxMs);
  const moved = await deps.deliveries.record(endpoint, batch, outcome, retryMs, settings.disableAfterMs);
  deps.onAttempt?.(endpoint, batch, outcome.error);
  return moved && outcome.error === null;
}
