import { WebhookEndpointStore } from '@wallet/webhooks';
import { fundedWallet } from '../../support/http';
import { feedHead, seededRandom, specSeed } from '../../support/webhook-load';
import { type WebhookReceiver, startWebhookReceiver } from '../../support/webhook-receiver';
import type { OwnDatabaseAndApi } from './fault-case';
import { startServiceProcess } from './service-process';

/** Delivery settings for the webhook fault cases: fast retries, a short timeout, a lease a kill lets lapse soon. */
export const WEBHOOK_FAULT_ENV: Readonly<Record<string, string>> = {
  WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  WEBHOOK_POLL_MS: '20',
  WEBHOOK_RETRY_BASE_MS: '20',
  WEBHOOK_RETRY_MAX_MS: '200',
  WEBHOOK_TIMEOUT_MS: '500',
  WEBHOOK_LEASE_MS: '2000',
};

export const WEBHOOK_FAULT_LEASE_MS = 2_000;

/** What both webhook fault cases start from. */
export interface WebhookFaultStart {
  readonly random: () => number;
  /** The API's and the delivering processes' environment: delivery left to projector processes. */
  readonly env: Readonly<Record<string, string>>;
  readonly baseUrl: string;
  readonly walletIds: readonly string[];
  /** Where the endpoints start: the feed's head once the wallets are funded. */
  readonly after: bigint;
  readonly receiver: WebhookReceiver;
  readonly endpoints: WebhookEndpointStore;
}

/**
 * A seeded random (the seed printed, WEBHOOK_SPEC_SEED repeats it), the API alone in its own
 * process, four funded wallets, the feed's head, a receiver and the endpoint store.
 */
export async function startWebhookFaultCase(own: OwnDatabaseAndApi, name: string): Promise<WebhookFaultStart> {
  const seed = specSeed();
  console.log(`webhook ${name} seed ${seed} (WEBHOOK_SPEC_SEED=${seed} repeats it)`);
  const env = { PROJECTOR_IN_PROCESS: 'false', ...WEBHOOK_FAULT_ENV };
  own.api = await startServiceProcess({ app: 'wallet-api', databaseUrl: own.database.url, env });
  const baseUrl = own.api.baseUrl;
  const walletIds: string[] = [];
  for (let i = 0; i < 4; i += 1) walletIds.push(await fundedWallet(baseUrl, '100000'));
  const after = await feedHead(baseUrl);
  return { random: seededRandom(seed), env, baseUrl, walletIds, after, receiver: await startWebhookReceiver(), endpoints: new WebhookEndpointStore(own.database.pool) };
}
