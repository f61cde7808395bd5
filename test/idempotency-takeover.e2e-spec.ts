import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { type HttpResult, fundedWallet, post } from './support/http';
import { startTestApp, type TestApp } from './support/test-app';
import { blockAppends } from './support/append-lock';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function connect(app: TestApp, database?: string): Promise<Client> {
  const url = new URL(app.database.url);
  if (database) url.pathname = `/${database}`;
  const client = new Client({ connectionString: url.toString() });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}


/** Ends the sessions of the app's connections named `applicationName`, as a crash of their holder would. */
async function terminate(app: TestApp, applicationName: string): Promise<number> {
  const { rows } = await app.database.pool.query<{ ended: boolean }>(
    'select pg_terminate_backend(pid) as ended from pg_stat_activity where datname = current_database() and application_name = $1',
    [applicationName],
  );
  return rows.length;
}

async function eventsWithKey(app: TestApp, key: string): Promise<number> {
  const { rows } = await app.database.pool.query<{ count: string }>(`select count(*) from event_store.events where metadata->>'idempotencyKey' = $1`, [key]);
  return Number(rows[0]!.count);
}

/** Until the claim of `key` shows up, so that what follows meets a request that is running. */
async function untilClaimed(app: TestApp, key: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    const { rowCount } = await app.database.pool.query(`select 1 from event_store.idempotency_keys where key = $1 and status = 'in_progress'`, [key]);
    if (rowCount === 1) return;
    await sleep(10);
  }
  throw new Error(`${key} was never claimed`);
}

async function keysInProgress(app: TestApp, prefix: string): Promise<number> {
  const { rows } = await app.database.pool.query<{ count: string }>(`select count(*) from event_store.idempotency_keys where key like $1 and status = 'in_progress'`, [`${prefix}%`]);
  return Number(rows[0]!.count);
}

function expectInProgress(result: HttpResult): void {
  expect(result.status).toBe(409);
  expect(result.body.code).toBe('IDEMPOTENCY_KEY_IN_PROGRESS');
  expect(result.headers.get('retry-after')).toBe('1');
}

describe('Idempotency-Key of a request known dead: taken over at once, not after the lease', () => {
  let app: TestApp;

  // The default lease (30 s) stays: every takeover below must come long before it.
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app.close());

  it('a retry while the first request runs gets 409 with Retry-After', async () => {
    const walletId = await fundedWallet(app.baseUrl, '100');
    const key = `live-${randomUUID()}`;
    const path = `/v1/wallets/${walletId}/transactions`;
    const unblock = await blockAppends(app.database.url);
    const first = post(app.baseUrl, path, { type: 'credit', amount: '5' }, { 'idempotency-key': key });
    await untilClaimed(app, key);
    expectInProgress(await post(app.baseUrl, path, { type: 'credit', amount: '5' }, { 'idempotency-key': key }));
    await unblock();
    expect((await first).status).toBe(201);
    expect(await eventsWithKey(app, key)).toBe(1);
  });

  it('once the owner lock of the claim is gone, the retry takes the key over at once; the first request loses it at its append', async () => {
    const walletId = await fundedWallet(app.baseUrl, '100');
    const key = `dead-${randomUUID()}`;
    const path = `/v1/wallets/${walletId}/transactions`;
    const unblock = await blockAppends(app.database.url);
    const first = post(app.baseUrl, path, { type: 'debit', amount: '5' }, { 'idempotency-key': key });
    await untilClaimed(app, key);
    // The database now sees the claim's owner as dead, as it would after a SIGKILL of the process.
    expect(await terminate(app, 'wallet-owner')).toBe(1);
    const started = Date.now();
    const retry = post(app.baseUrl, path, { type: 'debit', amount: '5' }, { 'idempotency-key': key });
    await sleep(300);
    await unblock();
    const [firstAnswer, retryAnswer] = await Promise.all([first, retry]);
    expect(retryAnswer.status).toBe(201);
    expect(Date.now() - started).toBeLessThan(5_000);
    expectInProgress(firstAnswer);
    expect(retryAnswer.body.balance.available).toBe('95');
    expect(await eventsWithKey(app, key)).toBe(1);
  });

  it('a request whose append and release both failed frees its key as soon as the database takes writes again', async () => {
    const walletId = await fundedWallet(app.baseUrl, '100');
    const key = `released-${randomUUID()}`;
    const path = `/v1/wallets/${walletId}/transactions`;
    const name = new URL(app.database.url).pathname.slice(1);
    const admin = await connect(app, 'postgres');
    const unblock = await blockAppends(app.database.url);
    let failed: HttpResult;
    try {
      const first = post(app.baseUrl, path, { type: 'credit', amount: '5' }, { 'idempotency-key': key });
      await untilClaimed(app, key);
      // Read-only, and the pool's sessions ended (the append's with them); the owner lock stays.
      await admin.query(`alter database ${name} set default_transaction_read_only = on`);
      await terminate(app, 'wallet');
      failed = await first;
    } finally {
      await unblock();
    }
    try {
      expect(failed.status).toBe(503);
      expect(failed.headers.get('retry-after')).not.toBeNull();
      // Neither the append nor the release could write: the key is still held, and its owner lives.
      const { rows } = await app.database.pool.query(`select status from event_store.idempotency_keys where key = $1`, [key]);
      expect(rows).toEqual([{ status: 'in_progress' }]);
    } finally {
      await admin.query(`alter database ${name} set default_transaction_read_only = off`);
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and application_name = $2', [name, 'wallet']);
      await admin.end();
    }
    const started = Date.now();
    let retried: HttpResult | undefined;
    while (Date.now() - started < 10_000) {
      retried = await post(app.baseUrl, path, { type: 'credit', amount: '5' }, { 'idempotency-key': key });
      if (retried.status === 201) break;
      expect([409, 503]).toContain(retried.status);
      expect(retried.headers.get('retry-after')).not.toBeNull();
      await sleep(200);
    }
    expect(retried!.status).toBe(201);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await eventsWithKey(app, key)).toBe(1);
  });

  it('many writers retrying the same keys while owner locks keep dying: every key applied exactly once, one answer per key', async () => {
    const walletIds = await Promise.all([1, 2, 3].map(() => fundedWallet(app.baseUrl, '1000')));
    const keys = Array.from({ length: 30 }, (_, i) => ({ key: `many-${i}-${randomUUID()}`, walletId: walletIds[i % walletIds.length]!, amount: String(1 + (i % 7)) }));
    // Appends wait at first, so that the owner lock dies under many running requests at once.
    const unblock = await blockAppends(app.database.url);
    let killing = true;
    let kills = 0;
    const killer = (async () => {
      while ((await keysInProgress(app, 'many-')) < keys.length / 2) await sleep(20);
      kills += await terminate(app, 'wallet-owner');
      await sleep(300);
      await unblock();
      while (killing) {
        await sleep(40);
        kills += await terminate(app, 'wallet-owner');
      }
    })();
    const statuses: number[] = [];
    const answers = await Promise.all(
      keys.flatMap(({ key, walletId, amount }) =>
        [0, 1, 2, 3].map(async () => {
          for (let attempt = 0; attempt < 200; attempt += 1) {
            const result = await post(app.baseUrl, `/v1/wallets/${walletId}/transactions`, { type: 'debit', amount }, { 'idempotency-key': key });
            statuses.push(result.status);
            if (result.status === 201) return { key, id: result.body.transaction.id as string };
            expect([409, 503]).toContain(result.status);
            expect(result.headers.get('retry-after')).not.toBeNull();
            await sleep(20);
          }
          throw new Error(`${key} never got its answer`);
        }),
      ),
    );
    killing = false;
    await killer;
    for (const { key } of keys) {
      expect(await eventsWithKey(app, key)).toBe(1);
      expect(new Set(answers.filter((answer) => answer.key === key).map((answer) => answer.id)).size).toBe(1);
    }
    expect(kills).toBeGreaterThan(0);
    expect(statuses.filter((status) => status === 409).length).toBeGreaterThan(0);
    expect(statuses).not.toContain(500);
  });
});
