import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { type HttpResult, fundedWallet, get, post } from './support/http';
import { startTestApp, type TestApp } from './support/test-app';
import { blockAppends } from './support/append-lock';


/** A connection of its own to the test database (or, with `database`, to another one of the server). */
async function connect(app: TestApp, database?: string): Promise<Client> {
  const url = new URL(app.database.url);
  if (database) url.pathname = `/${database}`;
  const client = new Client({ connectionString: url.toString() });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

const databaseName = (app: TestApp): string => new URL(app.database.url).pathname.slice(1);

/**
 * Makes the app's database read-only (or writable again) for every new session, and ends the
 * sessions it has, as a switch to a read-only standby would.
 */
async function setReadOnly(app: TestApp, readOnly: boolean): Promise<void> {
  const admin = await connect(app, 'postgres');
  try {
    await admin.query(`alter database ${databaseName(app)} set default_transaction_read_only = ${readOnly ? 'on' : 'off'}`);
    await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [databaseName(app)]);
  } finally {
    await admin.end();
  }
}

function expectRetryableUnavailable(result: HttpResult): void {
  expect(result.status).toBe(503);
  expect(result.body).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
  expect(Number(result.headers.get('retry-after'))).toBeGreaterThan(0);
}

async function eventsWithKey(app: TestApp, key: string): Promise<number> {
  const { rows } = await app.database.pool.query<{ count: string }>(`select count(*) from event_store.events where metadata->>'idempotencyKey' = $1`, [key]);
  return Number(rows[0]!.count);
}

/** Until `attempt` stops throwing, for at most `ms` (the pool meets its ended connections one by one). */
async function eventually<T>(attempt: () => Promise<T>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

describe('the database cannot serve: 503 SERVICE_UNAVAILABLE with Retry-After, never 500', () => {
  describe('read-only', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp();
    });
    afterAll(async () => app.close());

    it('refuses commands with 503 and Retry-After, applies nothing, and the retry with the same key applies once when writable again', async () => {
      const walletId = await fundedWallet(app.baseUrl, '100');
      const key = `read-only-${randomUUID()}`;
      const path = `/v1/wallets/${walletId}/transactions`;
      // Projected first: the projector cannot write while the database is read-only.
      await eventually(async () => {
        const answer = await get(app.baseUrl, `/v1/wallets/${walletId}`);
        if (answer.status !== 200) throw new Error(`got ${answer.status}`);
      });
      await setReadOnly(app, true);
      try {
        // The first attempts may meet pooled connections that were just ended: a 503 as well.
        const refused = await post(app.baseUrl, path, { type: 'credit', amount: '7' }, { 'idempotency-key': key });
        expectRetryableUnavailable(refused);
        const again = await post(app.baseUrl, path, { type: 'credit', amount: '7' }, { 'idempotency-key': key });
        expectRetryableUnavailable(again);
        expect(refused.body.detail).not.toMatch(/sql|postgres|25006/i);
        const keyless = await post(app.baseUrl, '/v1/wallets', { type: 'main', currency: 'USD' });
        expectRetryableUnavailable(keyless);
        // Reads still work on a read-only database.
        const read = await eventually(async () => {
          const answer = await get(app.baseUrl, `/v1/wallets/${walletId}`);
          if (answer.status !== 200) throw new Error(`got ${answer.status}`);
          return answer;
        });
        expect(read.body.id).toBe(walletId);
        expect(await eventually(() => eventsWithKey(app, key))).toBe(0);
      } finally {
        await setReadOnly(app, false);
      }
      const applied = await eventually(async () => {
        const answer = await post(app.baseUrl, path, { type: 'credit', amount: '7' }, { 'idempotency-key': key });
        if (answer.status !== 201) throw new Error(`got ${answer.status}`);
        return answer;
      });
      expect(applied.body.balance.available).toBe('107');
      expect(await eventsWithKey(app, key)).toBe(1);
    });
  });

  describe('statement timeout', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp({ env: { DB_STATEMENT_TIMEOUT_MS: '500' } });
    });
    afterAll(async () => app.close());

    it('a command whose append is cancelled answers 503, applies nothing, and frees its key at once', async () => {
      const walletId = await fundedWallet(app.baseUrl, '100');
      const key = `timeout-${randomUUID()}`;
      const path = `/v1/wallets/${walletId}/transactions`;
      const unblock = await blockAppends(app.database.url);
      let cancelled: HttpResult;
      try {
        cancelled = await post(app.baseUrl, path, { type: 'debit', amount: '3' }, { 'idempotency-key': key });
      } finally {
        await unblock();
      }
      expectRetryableUnavailable(cancelled);
      expect(await eventsWithKey(app, key)).toBe(0);
      const retried = await post(app.baseUrl, path, { type: 'debit', amount: '3' }, { 'idempotency-key': key });
      expect(retried.status).toBe(201);
      expect(retried.body.balance.available).toBe('97');
      expect(await eventsWithKey(app, key)).toBe(1);
    });

    it('a query that waits past the timeout answers 503 with Retry-After', async () => {
      const walletId = await fundedWallet(app.baseUrl, '100');
      // Projected first, so that the answer once the lock is gone can only be a 200.
      await eventually(async () => {
        const answer = await get(app.baseUrl, `/v1/wallets/${walletId}`);
        if (answer.status !== 200) throw new Error(`got ${answer.status}`);
      });
      const blocker = await connect(app);
      await blocker.query('begin');
      await blocker.query('lock table read_model.wallets in access exclusive mode');
      let slow: HttpResult;
      try {
        slow = await get(app.baseUrl, `/v1/wallets/${walletId}`);
      } finally {
        await blocker.query('rollback');
        await blocker.end();
      }
      expectRetryableUnavailable(slow);
      expect((await get(app.baseUrl, `/v1/wallets/${walletId}`)).status).toBe(200);
    });
  });

  describe('pool exhausted', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp({ env: { DB_POOL_MAX: '3', DB_CONNECT_TIMEOUT_MS: '300', PROJECTOR_IN_PROCESS: 'false' } });
    });
    afterAll(async () => app.close());

    it('a request that cannot get a connection in time answers 503 with Retry-After, not 500, and none waits forever', async () => {
      const blocker = await connect(app);
      await blocker.query('begin');
      await blocker.query('lock table read_model.wallets in access exclusive mode');
      const started = Date.now();
      let answers: HttpResult[];
      try {
        const pending = Promise.all(Array.from({ length: 8 }, () => get(app.baseUrl, '/v1/wallets?limit=1')));
        // Those that got a connection wait on the lock; the others wait for a connection.
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        await blocker.query('rollback');
        answers = await pending;
      } finally {
        await blocker.end();
      }
      const statuses = answers.map((answer) => answer.status);
      expect(statuses).not.toContain(500);
      expect(statuses.filter((status) => status === 503).length).toBeGreaterThan(0);
      for (const answer of answers.filter((a) => a.status === 503)) expectRetryableUnavailable(answer);
      expect(statuses.every((status) => status === 200 || status === 503)).toBe(true);
      expect(Date.now() - started).toBeLessThan(10_000);
    });
  });
});
