import { z } from 'zod';
import { apiSchemas, countOut, idOut, pageSchema, positionOut, timestampOut } from '../http/api-schemas';

const secretOut = z
  .string()
  .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/)
  .describe('The signing secret (whsec_ and base64), as Standard Webhooks libraries take it: shown in this answer only');

/** What every answer about an endpoint holds; never its secret. */
const endpointFields = {
  id: idOut,
  url: z.string(),
  types: z.array(z.string()).nullable().describe('The event types delivered; null: every type'),
  walletId: idOut.nullable().describe("Only this wallet's events; null: every wallet the endpoint may see"),
  description: z.string().nullable(),
  status: z.enum(['enabled', 'disabled']),
  after: positionOut.describe('Delivery started after this position when the endpoint was created'),
  createdAt: timestampOut,
};

/** The answer to a creation: the endpoint and its secret, once. */
export const newWebhookEndpointSchema = z.strictObject({ ...endpointFields, secret: secretOut }).register(apiSchemas, { id: 'NewWebhookEndpoint' });

/** An endpoint with where its delivery stands. */
export const webhookEndpointSchema = z
  .strictObject({
    ...endpointFields,
    owner: z.strictObject({ ownerType: z.string(), ownerRef: z.string() }).nullable().describe("Set when an owner-bound key made it: only that owner's wallets' events are delivered"),
    disabledReason: z.string().nullable().describe('Why it is disabled: by request, or failing for too long'),
    deliveredThrough: positionOut.describe('The position delivered up to: the cursor; the next batch starts after it'),
    lagEvents: countOut.describe(
      "The log's head minus deliveredThrough, 0 when not positive: on PostgreSQL an upper bound of the events still to deliver " +
        '(rolled-back appends leave gaps in positions, and events the endpoint does not receive count too)',
    ),
    attempt: z.int().min(0).describe('Failed attempts of the batch now in flight; 0 when none failed'),
    failingSince: timestampOut.nullable().describe('When the current run of failures began; null while deliveries succeed'),
    nextAttemptAt: timestampOut.describe('When delivery is next tried (at once when it is in the past)'),
    lastError: z.string().nullable().describe('What went wrong on the last failed attempt; null after a success'),
    lastDeliveredAt: timestampOut.nullable(),
    attemptsTotal: countOut.describe('Delivery attempts so far'),
    failuresTotal: countOut.describe('Failed delivery attempts so far'),
  })
  .register(apiSchemas, { id: 'WebhookEndpoint' });

/** The answer to a rotation: the endpoint and its new secret, once. */
export const rotatedWebhookEndpointSchema = z
  .strictObject({ ...webhookEndpointSchema.shape, secret: secretOut.describe('The new signing secret: shown in this answer only; the one before it still signs for 24 h') })
  .register(apiSchemas, { id: 'RotatedWebhookEndpoint' });

export const webhookEndpointPageSchema = pageSchema(webhookEndpointSchema, 'WebhookEndpointPage');

export const webhookDeliverySchema = z
  .strictObject({
    id: countOut.describe('Increases with every attempt recorded'),
    webhookId: z.string().describe('The webhook-id header of the batch: the same on every attempt of it'),
    firstPosition: positionOut,
    lastPosition: positionOut,
    attempt: z.int().min(1).describe('1 for the first attempt of the batch'),
    statusCode: z.int().nullable().describe("The receiver's HTTP status; null when no answer came"),
    durationMs: z.int().min(0),
    error: z.string().nullable().describe('Why the attempt failed; null when it succeeded'),
    at: timestampOut,
  })
  .register(apiSchemas, { id: 'WebhookDelivery' });

export const webhookDeliveryPageSchema = pageSchema(webhookDeliverySchema, 'WebhookDeliveryPage');

export type NewWebhookEndpointAnswer = z.infer<typeof newWebhookEndpointSchema>;
export type WebhookEndpointAnswer = z.infer<typeof webhookEndpointSchema>;
export type RotatedWebhookEndpointAnswer = z.infer<typeof rotatedWebhookEndpointSchema>;
export type WebhookEndpointPage = z.infer<typeof webhookEndpointPageSchema>;
export type WebhookDeliveryAnswer = z.infer<typeof webhookDeliverySchema>;
export type WebhookDeliveryPage = z.infer<typeof webhookDeliveryPageSchema>;
