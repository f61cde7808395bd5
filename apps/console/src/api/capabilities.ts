import type { ApiClient } from './client';

/**
 * What the signed-in key may do. The API has no route that tells a key its own scopes, so the
 * console learns them from answers that change nothing: a read of one item per scope, and a
 * POST with an empty body, which a key without the scope gets 403 for and a key with it 400
 * (the scope is checked before the body). What an owner-bound key may not do within its
 * scopes (credits, overdraft limits) is learned from the 403 of the first attempt.
 */
export interface Capabilities {
  readonly readWallets: boolean;
  readonly writeWallets: boolean;
  readonly readEvents: boolean;
  readonly manageWebhooks: boolean;
  readonly admin: boolean;
}

const allowed = (response: Response): boolean => response.status !== 403;

const EVERYTHING: Capabilities = { readWallets: true, writeWallets: true, readEvents: true, manageWebhooks: true, admin: true };

export async function learnCapabilities(client: ApiClient): Promise<Capabilities> {
  // `admin` includes every other scope: one read tells, and an admin sees no refused probes.
  const keys = await client.GET('/v1/api-keys', { params: { query: { limit: 1 } } });
  if (keys.response.ok) return EVERYTHING;
  const [wallets, write, events, webhooks] = await Promise.all([
    client.GET('/v1/wallets', { params: { query: { limit: 1 } } }),
    client.POST('/v1/wallets', { body: {} as never }),
    client.GET('/v1/events', { params: { query: { limit: 1 } } }),
    client.GET('/v1/webhook-endpoints', { params: { query: { limit: 1 } } }),
  ]);
  return {
    readWallets: allowed(wallets.response),
    writeWallets: allowed(write.response),
    readEvents: allowed(events.response),
    manageWebhooks: allowed(webhooks.response),
    admin: false,
  };
}
