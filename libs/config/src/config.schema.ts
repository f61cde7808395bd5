import { z } from 'zod';

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const flag = (fallback: 'true' | 'false') => z.enum(['true', 'false']).default(fallback).transform((value) => value === 'true');

/**
 * Every environment variable the service reads, with its default. This is the
 * single description of configuration: docs/configuration.md mirrors it.
 */
export const configSchema = z.object({
  PORT: integer(0, 65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// connection string')
    .optional(),
  DATA_DIR: z.string().min(1).default('./.data'),
  EMBEDDED_PG_PORT: integer(1, 65535).default(54329),
  DB_POOL_MAX: integer(1, 500).default(20),
  DB_STATEMENT_TIMEOUT_MS: integer(100, 600_000).default(30_000),
  // How long a request waits for a pooled connection (or a new one) before it answers 503.
  DB_CONNECT_TIMEOUT_MS: integer(100, 600_000).default(5_000),
  EVENT_STORE: z.enum(['postgres', 'kurrentdb']).default('postgres'),
  KURRENTDB_URL: z
    .string()
    .regex(/^(kurrentdb|kdb|esdb|eventstore)(\+discover)?:\/\//, 'must be a kurrentdb:// or esdb:// connection string')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  IDEMPOTENCY_TTL_HOURS: integer(24, 24 * 365).default(24),
  IDEMPOTENCY_LEASE_MS: integer(1_000, 600_000).default(30_000),
  COMMAND_RETRIES_MAX: integer(1, 100).default(10),
  APPEND_CONCURRENT_BATCHES: integer(1, 64).default(2),
  APPEND_BATCH_EVENTS_MAX: integer(1, 100_000).default(2_000),
  WALLET_CACHE_MAX: integer(0, 10_000_000).default(100_000),
  BODY_LIMIT_BYTES: integer(1_024, 10 * 1024 * 1024).default(256 * 1024),
  HEAP_GROWING_PERCENT: integer(0, 300)
    .refine((value) => value === 0 || value >= 20, 'must be 0 (V8 decides) or from 20 to 300')
    .default(100),
  SHUTDOWN_TIMEOUT_MS: integer(0, 600_000).default(10_000),
  // Admission control and the HTTP server's timeouts (docs/operations.md, "Admission control").
  MAX_IN_FLIGHT: integer(1, 1_000_000).default(128),
  REQUEST_TIMEOUT_MS: integer(1_000, 600_000).default(10_000),
  KEEP_ALIVE_TIMEOUT_MS: integer(1_000, 600_000).default(72_000),
  PROJECTOR_IN_PROCESS: flag('true'),
  PROJECTOR_BATCH_SIZE: integer(1, 10_000).default(1_000),
  PROJECTOR_POLL_MS: integer(10, 60_000).default(1_000),
  SNAPSHOT_EVERY: integer(2, 100_000).default(100),
  ARCHIVE_AFTER_DAYS: integer(0, 36_500).default(90),
  ARCHIVE_INTERVAL_MS: integer(1_000, 86_400_000).default(3_600_000),
  READ_MODEL_WAIT_MS: integer(0, 10_000).default(2_000),
  // Readiness (/health/ready): how far the read model may trail the log before the API is unready.
  READY_MAX_LAG_EVENTS: integer(0, 1_000_000_000).default(10_000),
  READY_MAX_LAG_SECONDS: integer(1, 86_400).default(60),
  EXPIRY_INTERVAL_MS: integer(10, 3_600_000).default(1_000),
  EXPIRY_BATCH_SIZE: integer(1, 10_000).default(500),
  FEED_STREAMS_MAX: integer(1, 100_000).default(100),
  FEED_STREAMS_PER_KEY_MAX: integer(1, 100_000).default(10),
  ADMIN_API_KEY: z
    .string()
    .regex(/^wsk_[A-Za-z0-9_-]{43}$/, 'must be "wsk_" and 43 random base64url characters (docs/security.md shows how to make one)')
    .optional(),
  API_KEY_CACHE_MS: integer(0, 60_000).default(2_000),
  RATE_LIMIT_PER_SECOND: integer(1, 1_000_000).default(1_000),
  AUTH_FAILURES_PER_MINUTE: integer(1, 1_000_000).default(300),
  METRICS_PUBLIC: flag('true'),
  DOCS_PUBLIC: flag('true'),
  // The operator console's built files (apps/console, `npm run build`), served at /console.
  CONSOLE_DIR: z.string().min(1).default('./dist/console'),
  // Webhook delivery (docs/webhooks.md): runs wherever the projector runs.
  WEBHOOK_ALLOW_PRIVATE_URLS: flag('false'),
  WEBHOOK_TIMEOUT_MS: integer(100, 60_000).default(10_000),
  WEBHOOK_LEASE_MS: integer(500, 3_600_000).default(30_000),
  WEBHOOK_POLL_MS: integer(10, 60_000).default(100),
  WEBHOOK_RETRY_BASE_MS: integer(10, 3_600_000).default(1_000),
  WEBHOOK_RETRY_MAX_MS: integer(10, 86_400_000).default(3_600_000),
  WEBHOOK_DISABLE_AFTER_SECONDS: integer(1, 31_536_000).default(72 * 3_600),
  WEBHOOK_CONCURRENCY_MAX: integer(1, 1_000).default(16),
  WEBHOOK_DELIVERY_LOG_DAYS: integer(1, 3_650).default(7),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((list) => list.split(',').map((origin) => origin.trim()).filter((origin) => origin !== ''))
    .pipe(z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'must be a comma-separated list of origins such as https://console.example.com (scheme and host, no path)'))),
}).superRefine((config, context) => {
  if (config.EVENT_STORE === 'kurrentdb' && config.KURRENTDB_URL === undefined) {
    context.addIssue({ code: 'custom', path: ['KURRENTDB_URL'], message: 'is required when EVENT_STORE=kurrentdb' });
  }
  // The lease is renewed just before each attempt: it must outlast the attempt, or a second process could send meanwhile.
  if (config.WEBHOOK_LEASE_MS < 2 * config.WEBHOOK_TIMEOUT_MS) {
    context.addIssue({ code: 'custom', path: ['WEBHOOK_LEASE_MS'], message: 'must be at least twice WEBHOOK_TIMEOUT_MS' });
  }
  if (config.WEBHOOK_RETRY_MAX_MS < config.WEBHOOK_RETRY_BASE_MS) {
    context.addIssue({ code: 'custom', path: ['WEBHOOK_RETRY_MAX_MS'], message: 'must be at least WEBHOOK_RETRY_BASE_MS' });
  }
});

export type AppConfig = Readonly<z.infer<typeof configSchema>>;
