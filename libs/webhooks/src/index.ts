export { webhookMigrations } from './migrations';
export * from './webhook-endpoint';
export { PREVIOUS_SECRET_VALID_MS, type PageOptions, WebhookEndpointStore, type WithinChange } from './webhook-endpoint-store';
export { WebhookUrlRefusedError, checkUrl, checkUrlShape, isPublicAddress } from './url-policy';
export { newWebhookSecret, signWebhook } from './webhook-secret';
export { retryDelayMs } from './retry-delay';
export { BATCH_EVENTS_MAX } from './batch-reader';
export { pruneDeliveryLog } from './delivery-log-pruner';
export { WebhookDeliveryService, deliverySettings } from './nest/webhook-delivery.service';
