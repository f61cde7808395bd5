import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AppConfig, loadConfig } from '@wallet/config';
import { createTestDatabase, kurrentDbUnderTest, type TestDatabase } from '@wallet/testing';
import { createApp } from '../../apps/wallet-api/src/create-app';
import type { Clock } from '@wallet/config';
import { recordAppEnvironment } from './contract';
import { TEST_ADMIN_KEY } from './http';

export interface TestApp {
  readonly baseUrl: string;
  readonly database: TestDatabase;
  /** Stops the HTTP app and starts a fresh one on the same database (a process restart). */
  restart(): Promise<void>;
  /** The two halves of restart, for what happens while the app is down. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  readonly env?: Record<string, string>;
  readonly clock?: Clock;
  /**
   * Where the events go: PostgreSQL, or KurrentDB (KURRENTDB_URL's server, else the in-process
   * double). Default: TEST_EVENT_STORE, else PostgreSQL.
   */
  readonly eventStore?: 'postgres' | 'kurrentdb';
}

/** The real application on a real port and a database of its own. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const eventStore = options.eventStore ?? (process.env.TEST_EVENT_STORE === 'kurrentdb' ? 'kurrentdb' : 'postgres');
  const kurrent = eventStore === 'kurrentdb' ? await kurrentDbUnderTest() : undefined;
  const storeEnv = kurrent ? { EVENT_STORE: 'kurrentdb', KURRENTDB_URL: kurrent.connectionString } : {};
  const config: AppConfig = loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: database.url, ADMIN_API_KEY: TEST_ADMIN_KEY, AUTH_FAILURES_PER_MINUTE: '1000000', ...storeEnv, ...options.env });
  let app: NestFastifyApplication | undefined;
  let baseUrl = '';
  const start = async (): Promise<void> => {
    app = await createApp({ config, databaseUrl: database.url, clock: options.clock });
    await app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    // Its answers are checked against the document this configuration serves.
    recordAppEnvironment(baseUrl, options.env ?? {});
  };
  await start();
  return {
    get baseUrl() {
      return baseUrl;
    },
    database,
    restart: async () => {
      await app?.close();
      await start();
    },
    stop: async () => {
      await app?.close();
      app = undefined;
    },
    start,
    close: async () => {
      await app?.close();
      await Promise.all([database.drop(), kurrent?.stop()]);
    },
  };
}
