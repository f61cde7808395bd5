import { type WebhookDelivery, type WebhookEndpoint, lagEvents } from '@wallet/webhooks';
import type { NewWebhookEndpointAnswer, WebhookDeliveryAnswer, WebhookEndpointAnswer } from './webhook-endpoint.schema';

/** The endpoint as its creation answers it, with the secret shown this once. */
export function presentNewEndpoint(endpoint: WebhookEndpoint, secret: string): NewWebhookEndpointAnswer {
  return {
    id: endpoint.id,
    url: endpoint.url,
    types: endpoint.types === null ? null : [...endpoint.types],
    walletId: endpoint.walletId,
    description: endpoint.description,
    status: endpoint.status,
    secret,
    after: endpoint.after.toString(),
    createdAt: endpoint.createdAt.toISOString(),
  };
}

/**
 * The endpoint and where its delivery stands; `head` is the log's head position, so the lag
 * is measured as the projector's is: positions, an upper bound of events on PostgreSQL.
 */
export function presentEndpoint(endpoint: WebhookEndpoint, head: bigint): WebhookEndpointAnswer {
  return {
    id: endpoint.id,
    url: endpoint.url,
    types: endpoint.types === null ? null : [...endpoint.types],
    walletId: endpoint.walletId,
    description: endpoint.description,
    status: endpoint.status,
    after: endpoint.after.toString(),
    createdAt: endpoint.createdAt.toISOString(),
    owner: endpoint.owner && { ownerType: endpoint.owner.ownerType, ownerRef: endpoint.owner.ownerRef },
    disabledReason: endpoint.disabledReason,
    deliveredThrough: endpoint.deliveredThrough.toString(),
    lagEvents: lagEvents(head, endpoint.deliveredThrough).toString(),
    attempt: endpoint.attempt,
    failingSince: endpoint.failingSince?.toISOString() ?? null,
    nextAttemptAt: endpoint.nextAttemptAt.toISOString(),
    lastError: endpoint.lastError,
    lastDeliveredAt: endpoint.lastDeliveredAt?.toISOString() ?? null,
    attemptsTotal: endpoint.attemptsTotal.toString(),
    failuresTotal: endpoint.failuresTotal.toString(),
  };
}

export function presentDelivery(delivery: WebhookDelivery): WebhookDeliveryAnswer {
  return {
    id: delivery.id.toString(),
    webhookId: delivery.webhookId,
    firstPosition: delivery.firstPosition.toString(),
    lastPosition: delivery.lastPosition.toString(),
    attempt: delivery.attempt,
    statusCode: delivery.statusCode,
    durationMs: delivery.durationMs,
    error: delivery.error,
    at: delivery.at.toISOString(),
  };
}
