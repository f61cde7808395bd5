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
 * order while they succeed, up to `batchesPerClaim` reads. A failure ends the claim with the
 * next attempt scheduled; nothing later is sent before the batch that failed. Answers true when
 * it stopped with more of the log still due (the claim's share used up), so that it is claimed
 * again at once.
 */
export async function deliverEndpoint(deps: DeliveryDeps, leased: LeasedEndpoint, signal: AbortSignal): Promise<boolean> {
  let endpoint = leased;
  for (let read = 0; read < deps.settings.batchesPerClaim; read++) {
    if (signal.aborted) return false;
    const next = endpoint.batch ?? (await nextBatch(deps, endpoint));
    // Nothing to send: done, unless the cursor moved past events the filter passed over.
    if (typeof next === 'bigint') {
      if (next === endpoint.deliveredThrough) return false;
      endpoint = { ...endpoint, deliveredThrough: next };
      continue;
    }
    if (!next) return false;
    const delivered = await attempt(deps, { ...endpoint, batch: next }, next, signal);
    if (!delivered) return false;
    endpoint = { ...endpoint, deliveredThrough: next.nextAfter, batch: undefined, attempt: 0 };
  }
  return true;
}

/**
 * Reads and records the next batch. With nothing to send, moves the cursor past what was skipped
 * and answers where it now is; undefined when the cursor is no longer this claim's to move. An
 * event that cannot be read or written out is a failed attempt like any other: retried with
 * backoff, shown in lastError, counted towards disabling the endpoint.
 */
async function nextBatch(deps: DeliveryDeps, endpoint: LeasedEndpoint): Promise<PendingBatch | bigint | undefined> {
  let batch: PendingBatch;
  try {
    const { events, nextAfter } = await readBatch(deps.store, deps.pool, endpoint);
    if (events.length === 0) return (await deps.deliveries.idle(endpoint.id, endpoint.deliveredThrough, nextAfter)) ? nextAfter : undefined;
    const body = JSON.stringify({ endpointId: endpoint.id, items: events.map(toFeedItem) });
    batch = { webhookId: `msg_${uuidv7()}`, firstPosition: events[0]!.position, lastPosition: events[events.length - 1]!.position, nextAfter, body };
  } catch (error) {
    const retryMs = retryDelayMs(endpoint.attempt + 1, (deps.random ?? Math.random)(), deps.settings.retryBaseMs, deps.settings.retryMaxMs);
    await deps.deliveries.stall(endpoint.id, `events after ${endpoint.deliveredThrough} could not be read: ${(error as Error).message}`, retryMs, deps.settings.disableAfterMs);
    return undefined;
  }
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
