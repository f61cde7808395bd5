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
