import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '@wallet/config';
import { type HttpResult, get, post } from './support/http';
import { READ_SIDE_ENV, getAfter, logHead } from './support/read-model';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * The GET routes of API.md over real HTTP: each route and filter, keyset pagination while
 * new transactions arrive, archived rows, 404s, 400s and read-your-writes (minPosition).
 * The clock steps 10 ms per command, so every event has a distinct time.
 */

const PROBLEM_FIELDS = { type: expect.any(String), title: expect.any(String), status: expect.any(Number), detail: expect.any(String) };

function expectProblem(result: HttpResult, status: number, code: string): void {
  expect(result.status).toBe(status);
  expect(result.headers.get('content-type')).toContain('application/problem+json');
  expect(result.body).toMatchObject({ ...PROBLEM_FIELDS, status, code });
}

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;
const base64url = (text: string) => Buffer.from(text).toString('base64url');

describe('wallet queries over HTTP', () => {
  let app: TestApp;
  let nowMs = Date.parse('2031-03-01T08:00:00.000Z');
  const clock: Clock = { now: () => new Date((nowMs += 10)) };

  beforeAll(async () => {
    app = await startTestApp({ env: { ...READ_SIDE_ENV, SNAPSHOT_EVERY: '3' }, clock });
  });
  afterAll(async () => app.close());

  const open = async (body: Record<string, unknown> = {}) => {
    const opened = await post(app.baseUrl, '/v1/wallets', { type: 'main', currency: 'USD', ...body });
    expect(opened.status).toBe(201);
    return opened.body;
  };
  const record = async (walletId: string, body: Record<string, unknown>) => {
    const recorded = await post(app.baseUrl, `/v1/wallets/${walletId}/transactions`, body);
    expect(recorded.status).toBe(201);
    return recorded.body;
  };
  const settle = async (walletId: string, transactionId: string, action: 'confirm' | 'reject') => {
    const settled = await post(app.baseUrl, `/v1/wallets/${walletId}/transactions/${transactionId}/${action}`);
    expect(settled.status).toBe(200);
    return settled.body;
  };
  /** GET once the read model holds everything appended so far. */
  const fresh = async <T = any>(path: string) => getAfter<T>(app, path, await logHead(app));
  const ids = (result: HttpResult) => (result.body.items as { id: string }[]).map((item) => item.id);

  /** Follows nextCursor to the end, running `between` before each next page, which sees it. */
  async function allPages(path: string, between: () => Promise<unknown> = async () => undefined): Promise<string[]> {
    const seen: string[] = [];
    let page = await fresh(path);
    for (;;) {
      expect(page.status).toBe(200);
      seen.push(...ids(page));
      if (page.body.nextCursor === null) return seen;
      await between();
      page = await fresh(`${path}${path.includes('?') ? '&' : '?'}cursor=${page.body.nextCursor}`);
    }
  }

  describe('GET /v1/wallets/{walletId}', () => {
    it('answers the wallet exactly as the commands do, with its balance', async () => {
      const opened = await open({ owners: [{ ownerType: 'user', ownerRef: 'u-1' }], metadata: { plan: 'gold', tier: 2 } });
      const added = await post(app.baseUrl, `/v1/wallets/${opened.id}/owners`, { ownerType: 'shop', ownerRef: 's-1' });
      expect((await fresh(`/v1/wallets/${opened.id}`)).body).toEqual(added.body);

      await record(opened.id, { type: 'credit', amount: '500' });
      const hold = await record(opened.id, { type: 'debit', amount: '200', pending: true });
      const result = await getAfter(app, `/v1/wallets/${opened.id}`, hold.position);
      expect(result.status).toBe(200);
      expect(result.body).toEqual({ ...added.body, version: 4, updatedAt: hold.transaction.createdAt, balance: hold.balance });
      expect(BigInt(result.headers.get('x-read-model-position')!)).toBeGreaterThanOrEqual(BigInt(hold.position));
    });

    it.each([
      ['an unknown id', randomUUID()],
      ['a malformed id', 'not-a-uuid'],
    ])('%s: 404 WALLET_NOT_FOUND with X-Read-Model-Position', async (_name, walletId) => {
      const result = await get(app.baseUrl, `/v1/wallets/${walletId}`);
      expectProblem(result, 404, 'WALLET_NOT_FOUND');
      expect(result.headers.get('x-read-model-position')).toMatch(/^[0-9]+$/);
    });
  });

  describe('GET /v1/wallets', () => {
    const type = unique('t');
    const owner = { ownerType: 'user', ownerRef: unique('r') };
    let created: string[];

    beforeAll(async () => {
      created = [];
      for (let i = 0; i < 5; i += 1) created.push((await open({ type, owners: i % 2 === 0 ? [owner] : [] })).id);
    });

    it('pages through the wallets of a type in creation order', async () => {
      expect(await allPages(`/v1/wallets?type=${type}&limit=2`)).toEqual(created);
      const first = await fresh(`/v1/wallets?type=${type}&limit=1`);
      expect(first.body.items[0]).toEqual((await get(app.baseUrl, `/v1/wallets/${created[0]}`)).body);
    });

    it('filters by owner, alone or with the type', async () => {
      const owned = created.filter((_, i) => i % 2 === 0);
      expect(await allPages(`/v1/wallets?ownerType=user&ownerRef=${owner.ownerRef}&limit=2`)).toEqual(owned);
      expect(ids(await fresh(`/v1/wallets?ownerType=user&ownerRef=${owner.ownerRef}&type=${type}`))).toEqual(owned);
      expect(ids(await fresh(`/v1/wallets?ownerType=user&ownerRef=${owner.ownerRef}&type=other`))).toEqual([]);
    });

    it('answers an empty page, not a 404, when nothing matches', async () => {
      expect((await fresh(`/v1/wallets?type=${unique('none')}`)).body).toEqual({ items: [], nextCursor: null });
    });
  });

  describe('GET /v1/wallets/{walletId}/transactions', () => {
    let walletId: string;
    /** Each transaction as its last command answered it, in creation order. */
    let history: Record<string, any>[];
    const byId = (...wanted: number[]) => wanted.map((i) => history[i]!.id);

    beforeAll(async () => {
      walletId = (await open()).id;
      const credit = await record(walletId, { type: 'credit', amount: '1000', description: 'top-up', metadata: { source: 'card' } });
      const confirmedHold = await record(walletId, { type: 'debit', amount: '100', pending: true });
      const rejectedHold = await record(walletId, { type: 'credit', amount: '50', pending: true });
      const debit = await record(walletId, { type: 'debit', amount: '200' });
      const openHold = await record(walletId, { type: 'debit', amount: '30', pending: true, expiresAt: '2031-12-01T00:00:00.000Z' });
      const lastCredit = await record(walletId, { type: 'credit', amount: '5' });
      const confirmed = await settle(walletId, confirmedHold.transaction.id, 'confirm');
      const rejected = await settle(walletId, rejectedHold.transaction.id, 'reject');
      history = [credit, confirmed, rejected, debit, openHold, lastCredit].map((answer) => answer.transaction);
    });

    it('lists newest first by default, each transaction as its last command answered it', async () => {
      const result = await fresh(`/v1/wallets/${walletId}/transactions`);
      expect(result.status).toBe(200);
      expect(result.body).toEqual({ items: [...history].reverse(), nextCursor: null });
      expect(result.headers.get('x-read-model-position')).toMatch(/^[0-9]+$/);
    });

    it('lists oldest first with order=asc', async () => {
      expect(ids(await fresh(`/v1/wallets/${walletId}/transactions?order=asc`))).toEqual(byId(0, 1, 2, 3, 4, 5));
    });

    it.each([
      ['status=pending', [4]],
      ['status=confirmed', [5, 3, 1, 0]],
      ['status=rejected', [2]],
      ['type=credit', [5, 2, 0]],
      ['type=debit&status=confirmed', [3, 1]],
    ])('filters by %s', async (filter, expected) => {
      expect(ids(await fresh(`/v1/wallets/${walletId}/transactions?${filter}`))).toEqual(byId(...expected));
    });

    it('filters by creation time: from inclusive, to exclusive', async () => {
      const [from, to] = [history[1]!.createdAt, history[4]!.createdAt];
      expect(ids(await fresh(`/v1/wallets/${walletId}/transactions?order=asc&from=${from}&to=${to}`))).toEqual(byId(1, 2, 3));
      const shifted = new Date(Date.parse(from) + 1).toISOString().replace('Z', '+00:00');
      expect(ids(await fresh(`/v1/wallets/${walletId}/transactions?order=asc&from=${encodeURIComponent(shifted)}`))).toEqual(byId(2, 3, 4, 5));
    });

    it('answers one transaction, live, as its last command did', async () => {
      for (const transaction of history) {
        const result = await fresh(`/v1/wallets/${walletId}/transactions/${transaction.id}`);
        expect(result.status).toBe(200);
        expect(result.body).toEqual(transaction);
      }
    });

    it('answers 404 for a transaction it does not have, and for an unknown wallet', async () => {
      const other = (await open()).id;
      expectProblem(await fresh(`/v1/wallets/${other}/transactions/${history[0]!.id}`), 404, 'TRANSACTION_NOT_FOUND');
      expectProblem(await get(app.baseUrl, `/v1/wallets/${walletId}/transactions/${randomUUID()}`), 404, 'TRANSACTION_NOT_FOUND');
      expectProblem(await get(app.baseUrl, `/v1/wallets/${walletId}/transactions/nope`), 404, 'TRANSACTION_NOT_FOUND');
      expectProblem(await get(app.baseUrl, `/v1/wallets/${randomUUID()}/transactions/${history[0]!.id}`), 404, 'WALLET_NOT_FOUND');
      expectProblem(await get(app.baseUrl, `/v1/wallets/${randomUUID()}/transactions`), 404, 'WALLET_NOT_FOUND');
      expect((await fresh(`/v1/wallets/${other}/transactions`)).body).toEqual({ items: [], nextCursor: null });
    });
  });

  describe('transaction pages while new transactions arrive', () => {
    let walletId: string;
    const credit = () => record(walletId, { type: 'credit', amount: '1' });
    const creditTwice = async () => {
      await credit();
      await credit();
    };

    beforeEach(async () => {
      walletId = (await open()).id;
      for (let i = 0; i < 7; i += 1) await credit();
    });

    it('newest first: the pages hold exactly the transactions there were, each once', async () => {
      const before = ids(await fresh(`/v1/wallets/${walletId}/transactions?limit=500`));
      expect(await allPages(`/v1/wallets/${walletId}/transactions?limit=3`, creditTwice)).toEqual(before);
    });

    it('oldest first: the pages run on into the new transactions, each once', async () => {
      const seen = await allPages(`/v1/wallets/${walletId}/transactions?order=asc&limit=3`, creditTwice);
      expect(seen.length).toBeGreaterThan(7);
      expect(seen).toEqual(ids(await fresh(`/v1/wallets/${walletId}/transactions?order=asc&limit=500`)));
    });
  });

  describe('archived transactions', () => {
    it('are listed in their place and answered alone, flagged archived', async () => {
      const walletId = (await open()).id;
      const answers = [];
      for (const amount of ['10', '20', '30']) answers.push((await record(walletId, { type: 'credit', amount })).transaction);
      await fresh(`/v1/wallets/${walletId}`);
      const moved = await app.database.pool.query(
        'with m as (delete from read_model.transactions where id = $1 returning *) insert into read_model.transactions_archive select * from m',
        [answers[1].id],
      );
      expect(moved.rowCount).toBe(1);
      const archived = { ...answers[1], archived: true };

      expect((await fresh(`/v1/wallets/${walletId}/transactions?order=asc`)).body.items).toEqual([answers[0], archived, answers[2]]);
      expect(await allPages(`/v1/wallets/${walletId}/transactions?limit=1`)).toEqual([answers[2].id, answers[1].id, answers[0].id]);
      expect(ids(await fresh(`/v1/wallets/${walletId}/transactions?status=confirmed&from=${answers[1].createdAt}&to=${answers[2].createdAt}`))).toEqual([answers[1].id]);
      expect((await fresh(`/v1/wallets/${walletId}/transactions/${answers[1].id}`)).body).toEqual(archived);
    });
  });

  describe('GET /v1/wallets/{walletId}/snapshots', () => {
    it('pages through the ledger snapshots in position order', async () => {
      const walletId = (await open()).id;
      const credits = [];
      for (let i = 0; i < 7; i += 1) credits.push(await record(walletId, { type: 'credit', amount: '10' }));
      await fresh(`/v1/wallets/${walletId}`);
      const pages = [await get(app.baseUrl, `/v1/wallets/${walletId}/snapshots?limit=2`)];
      pages.push(await get(app.baseUrl, `/v1/wallets/${walletId}/snapshots?limit=2&cursor=${pages[0]!.body.nextCursor}`));
      expect(pages[1]!.body.nextCursor).toBeNull();
      const snapshots = pages.flatMap((page) => page.body.items);
      // SNAPSHOT_EVERY=3: at the opening (revision 0), then after revisions 3 and 6.
      const common = { id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/), walletId, pendingDebits: '0', pendingCredits: '0', isLedgerEntry: true };
      expect(snapshots).toEqual([
        { ...common, position: expect.any(String), snapshotDate: expect.any(String), ledger: '0', transactionCount: '0' },
        { ...common, position: credits[2].position, snapshotDate: credits[2].transaction.createdAt, ledger: '30', transactionCount: '3' },
        { ...common, position: credits[5].position, snapshotDate: credits[5].transaction.createdAt, ledger: '60', transactionCount: '6' },
      ]);
      expect(BigInt(snapshots[0].position)).toBeLessThan(BigInt(credits[0].position));
    });

    it('answers 404 for an unknown wallet', async () => {
      expectProblem(await get(app.baseUrl, `/v1/wallets/${randomUUID()}/snapshots`), 404, 'WALLET_NOT_FOUND');
    });
  });

  describe('GET /v1/wallets/{walletId}/balance', () => {
    let walletId: string;
    let steps: Record<string, any>[];
    const balanceOf = ({ ledger, available, pendingDebits, pendingCredits }: Record<string, string>) => ({ ledger, available, pendingDebits, pendingCredits });

    beforeAll(async () => {
      walletId = (await open()).id;
      const elsewhere = (await open()).id;
      const credit = await record(walletId, { type: 'credit', amount: '100' });
      await record(elsewhere, { type: 'credit', amount: '1' });
      const hold = await record(walletId, { type: 'debit', amount: '30', pending: true });
      const topUp = await record(walletId, { type: 'credit', amount: '20' });
      const confirmed = await settle(walletId, hold.transaction.id, 'confirm');
      steps = [credit, hold, topUp, confirmed];
    });

    const expectedAt = (step: Record<string, any>, at: string) => ({ ...balanceOf(step.balance), position: step.position, at });
    const eventTime = (step: Record<string, any>) => step.transaction.confirmRejectTimestamp ?? step.transaction.createdAt;

    it('answers the current balance as of the last event', async () => {
      const last = steps[3]!;
      expect((await fresh(`/v1/wallets/${walletId}/balance`)).body).toEqual(expectedAt(last, eventTime(last)));
    });

    it('answers the balance at a position, between the wallet events too', async () => {
      for (const step of steps) {
        expect((await get(app.baseUrl, `/v1/wallets/${walletId}/balance?atPosition=${step.position}`)).body).toEqual(expectedAt(step, eventTime(step)));
      }
      const between = BigInt(steps[1]!.position) - 1n;
      expect((await get(app.baseUrl, `/v1/wallets/${walletId}/balance?atPosition=${between}`)).body).toEqual(expectedAt(steps[0]!, steps[0]!.transaction.createdAt));
    });

    it('answers the balance at a time', async () => {
      const holdAt = steps[1]!.transaction.createdAt;
      expect((await fresh(`/v1/wallets/${walletId}/balance?at=${holdAt}`)).body).toEqual(expectedAt(steps[1]!, holdAt));
      const justBefore = new Date(Date.parse(holdAt) - 1).toISOString();
      expect((await fresh(`/v1/wallets/${walletId}/balance?at=${justBefore}`)).body).toEqual(expectedAt(steps[0]!, justBefore));
      const later = '2099-01-01T00:00:00.000Z';
      expect((await fresh(`/v1/wallets/${walletId}/balance?at=${encodeURIComponent('2099-01-01T01:00:00+01:00')}`)).body).toEqual(expectedAt(steps[3]!, later));
    });

    it('answers 404 before the wallet existed and for an unknown wallet', async () => {
      expectProblem(await fresh(`/v1/wallets/${walletId}/balance?at=2001-01-01T00:00:00Z`), 404, 'WALLET_NOT_FOUND');
      expectProblem(await get(app.baseUrl, `/v1/wallets/${walletId}/balance?atPosition=0`), 404, 'WALLET_NOT_FOUND');
      expectProblem(await get(app.baseUrl, `/v1/wallets/${randomUUID()}/balance`), 404, 'WALLET_NOT_FOUND');
      expectProblem(await get(app.baseUrl, `/v1/wallets/${randomUUID()}/balance?atPosition=1`), 404, 'WALLET_NOT_FOUND');
    });

    it('waits for an atPosition the read model has not reached, then answers 503', async () => {
      const started = Date.now();
      const result = await get(app.baseUrl, `/v1/wallets/${walletId}/balance?atPosition=9000000000`);
      expectProblem(result, 503, 'READ_MODEL_BEHIND');
      expect(result.headers.get('retry-after')).toBe('1');
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    });
  });

  describe('read-your-writes', () => {
    it('a GET with minPosition sees the command it follows', async () => {
      const walletId = (await open()).id;
      for (let i = 1; i <= 15; i += 1) {
        const credited = await record(walletId, { type: 'credit', amount: '7' });
        const wallet = await getAfter(app, `/v1/wallets/${walletId}`, credited.position);
        expect(wallet.body.balance).toEqual(credited.balance);
        expect(BigInt(wallet.headers.get('x-read-model-position')!)).toBeGreaterThanOrEqual(BigInt(credited.position));
        const transaction = await getAfter(app, `/v1/wallets/${walletId}/transactions/${credited.transaction.id}`, credited.position);
        expect(transaction.body).toEqual(credited.transaction);
      }
    });

    it('minPosition beyond the log: 503 READ_MODEL_BEHIND with Retry-After after READ_MODEL_WAIT_MS', async () => {
      const started = Date.now();
      const result = await get(app.baseUrl, '/v1/wallets?minPosition=9223372036854775807');
      const elapsedMs = Date.now() - started;
      expectProblem(result, 503, 'READ_MODEL_BEHIND');
      expect(result.headers.get('retry-after')).toBe('1');
      expect(result.headers.get('x-read-model-position')).toMatch(/^[0-9]+$/);
      expect(elapsedMs).toBeGreaterThanOrEqual(190);
      expect(elapsedMs).toBeLessThan(1_500);
    });

    it('bad input next to a far minPosition is a 400 at once, never a 503', async () => {
      const started = Date.now();
      expectProblem(await get(app.baseUrl, '/v1/wallets?minPosition=9000000000&limit=0'), 400, 'VALIDATION_FAILED');
      // Far below READ_MODEL_WAIT_MS (2 s): it never waited for the read model, even on a loaded machine.
      expect(Date.now() - started).toBeLessThan(1_000);
    });
  });

  describe('bad query parameters: 400 VALIDATION_FAILED', () => {
    let walletId: string;
    let walletsCursor: string;
    let descCursor: string;

    beforeAll(async () => {
      walletId = (await open()).id;
      await open();
      await record(walletId, { type: 'credit', amount: '5' });
      await record(walletId, { type: 'credit', amount: '5' });
      walletsCursor = (await fresh('/v1/wallets?limit=1')).body.nextCursor;
      descCursor = (await fresh(`/v1/wallets/${walletId}/transactions?limit=1`)).body.nextCursor;
    });

    const cases: [string, (w: string) => string][] = [
      ['limit=0', () => '/v1/wallets?limit=0'],
      ['limit=501', () => '/v1/wallets?limit=501'],
      ['limit=abc', () => '/v1/wallets?limit=abc'],
      ['limit=1.5', () => '/v1/wallets?limit=1.5'],
      ['limit=-1', () => '/v1/wallets?limit=-1'],
      ['an empty limit', () => '/v1/wallets?limit='],
      ['limit twice', () => '/v1/wallets?limit=1&limit=2'],
      ['an unknown parameter', () => '/v1/wallets?colour=red'],
      ['ownerType without ownerRef', () => '/v1/wallets?ownerType=user'],
      ['a wallet type out of pattern', () => '/v1/wallets?type=Main'],
      ['a cursor that is not base64url', () => '/v1/wallets?cursor=%25%25%25'],
      ['a cursor that is not JSON', () => `/v1/wallets?cursor=${base64url('{oops')}`],
      ['a cursor of another shape', () => `/v1/wallets?cursor=${base64url('{"id":"x"}')}`],
      ['minPosition=abc', () => '/v1/wallets?minPosition=abc'],
      ['minPosition=-1', () => '/v1/wallets?minPosition=-1'],
      ['minPosition of 20 digits', (w) => `/v1/wallets/${w}?minPosition=99999999999999999999`],
      ['order=sideways', (w) => `/v1/wallets/${w}/transactions?order=sideways`],
      ['status=done', (w) => `/v1/wallets/${w}/transactions?status=done`],
      ['type=refund', (w) => `/v1/wallets/${w}/transactions?type=refund`],
      ['from=yesterday', (w) => `/v1/wallets/${w}/transactions?from=yesterday`],
      ['from=February 30th', (w) => `/v1/wallets/${w}/transactions?from=2031-02-30T00:00:00Z`],
      ['to before from', (w) => `/v1/wallets/${w}/transactions?from=2031-03-02T00:00:00Z&to=2031-03-01T00:00:00Z`],
      ['a wallets cursor for transactions', (w) => `/v1/wallets/${w}/transactions?cursor=${walletsCursor}`],
      ['a newest-first cursor with order=asc', (w) => `/v1/wallets/${w}/transactions?order=asc&cursor=${descCursor}`],
      ['an unknown parameter on one transaction', (w) => `/v1/wallets/${w}/transactions/${randomUUID()}?expand=all`],
      ['a transactions cursor for snapshots', (w) => `/v1/wallets/${w}/snapshots?cursor=${descCursor}`],
      ['snapshots limit=0', (w) => `/v1/wallets/${w}/snapshots?limit=0`],
      ['at=soon', (w) => `/v1/wallets/${w}/balance?at=soon`],
      ['atPosition=1.5', (w) => `/v1/wallets/${w}/balance?atPosition=1.5`],
      ['at and atPosition together', (w) => `/v1/wallets/${w}/balance?at=2031-03-01T00:00:00Z&atPosition=1`],
      ['at and a far atPosition together', (w) => `/v1/wallets/${w}/balance?at=2031-03-01T00:00:00Z&atPosition=9000000000`],
      ['an unknown balance parameter', (w) => `/v1/wallets/${w}/balance?currency=USD`],
    ];

    it.each(cases)('%s', async (_name, path) => {
      const result = await get(app.baseUrl, path(walletId));
      expectProblem(result, 400, 'VALIDATION_FAILED');
      expect(result.headers.get('x-read-model-position')).toMatch(/^[0-9]+$/);
    });
  });

  describe('health and documentation', () => {
    it('reports the projector lag, and 503 once the projector has halted', async () => {
      const head = await logHead(app);
      await getAfter(app, '/v1/wallets', head);
      const ready = await get(app.baseUrl, '/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.checks.projector).toEqual({
        checkpoint: expect.stringMatching(/^[0-9]+$/),
        headPosition: expect.stringMatching(/^[0-9]+$/),
        lagEvents: expect.stringMatching(/^[0-9]+$/),
        lagSeconds: expect.any(Number),
      });
      expect(BigInt(ready.body.checks.projector.checkpoint)).toBeGreaterThanOrEqual(head);

      const failedAt = (head + 1n).toString();
      await app.database.pool.query(`update read_model.projection_checkpoints set failed_position = $1, failure = 'boom' where name = 'read_model'`, [failedAt]);
      try {
        const halted = await get(app.baseUrl, '/health/ready');
        expectProblem(halted, 503, 'PROJECTOR_HALTED');
        expect(halted.body.detail).toContain(failedAt);
        expect(halted.body.detail).not.toContain('boom');
        const started = Date.now();
        expectProblem(await get(app.baseUrl, `/v1/wallets?minPosition=${failedAt}`), 503, 'READ_MODEL_BEHIND');
        expect(Date.now() - started).toBeLessThan(150);
      } finally {
        await app.database.pool.query(`update read_model.projection_checkpoints set failed_position = null, failure = null where name = 'read_model'`);
      }
    });

    it('documents the query routes', async () => {
      const doc = await get(app.baseUrl, '/docs/json');
      expect(Object.keys(doc.body.paths)).toEqual(
        expect.arrayContaining([
          '/v1/wallets/{walletId}',
          '/v1/wallets/{walletId}/transactions/{transactionId}',
          '/v1/wallets/{walletId}/snapshots',
          '/v1/wallets/{walletId}/balance',
        ]),
      );
      expect(doc.body.paths['/v1/wallets'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
        expect.arrayContaining(['ownerType', 'ownerRef', 'type', 'limit', 'cursor', 'minPosition']),
      );
    });
  });
});
