import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { type DynamicModule, RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { type Clock, loadConfig } from '@wallet/config';
import { AppModule } from '../apps/wallet-api/src/app.module';
import { type Answer, type IssuedKey, issueKey, revokeKey, send } from './support/callers';
import { TEST_ADMIN_KEY, bearer, fundedWallet, get, post } from './support/http';
import { getAfter, logHead } from './support/read-model';
import { type TestApp, startTestApp } from './support/test-app';

/**
 * The 401/403/404 matrix: every route (the table below, checked against the controllers and
 * the OpenAPI document so a new route cannot slip past it) called by every kind of caller,
 * with real ids and otherwise valid requests, so a refusal can only come from the key.
 */

type Scope = 'wallets:read' | 'wallets:write' | 'events:read' | 'webhooks:manage' | 'admin';
/** What a route needs: a scope, nothing, or nothing unless a flag turned off makes it admin-only. */
type Access = Scope | 'public' | 'METRICS_PUBLIC' | 'DOCS_PUBLIC';

interface Target {
  readonly path: string;
  readonly body?: unknown;
}

/** Real ids to fill route templates with; write targets are made fresh for every request. */
interface World {
  readonly app: TestApp;
  readonly walletId: string;
  readonly otherWalletId: string;
  readonly transactionId: string;
  readonly groupId: string;
  readonly endpointId: string;
}

interface Route {
  readonly method: 'GET' | 'POST';
  /** As the OpenAPI document writes it. */
  readonly path: string;
  readonly access: Access;
  /** The status of an allowed request: every request here is valid, so it must succeed. */
  readonly success: number;
  /** Where a write leaves its trace, to prove a refused one left none. */
  readonly writes?: 'events' | 'api keys' | 'webhook endpoints';
  readonly target: (world: World) => Promise<Target>;
}

const at = (path: string, body?: unknown) => async (): Promise<Target> => ({ path, body });

/**
 * An endpoint that is never called: private URLs are allowed here (no DNS lookup for the
 * check), and delivery starts past any position the matrix reaches.
 */
const HOOK = { url: 'http://127.0.0.1:9/hooks', after: '9000000000000000000' };

const ROUTES: readonly Route[] = [
  { method: 'POST', path: '/v1/api-keys', access: 'admin', success: 201, writes: 'api keys', target: at('/v1/api-keys', { name: 'made in the matrix', scopes: ['wallets:read'] }) },
  { method: 'GET', path: '/v1/api-keys', access: 'admin', success: 200, target: at('/v1/api-keys') },
  { method: 'POST', path: '/v1/api-keys/{keyId}/revoke', access: 'admin', success: 200, writes: 'api keys', target: async (w) => ({ path: `/v1/api-keys/${await victimKey(w)}/revoke` }) },
  { method: 'POST', path: '/v1/wallets', access: 'wallets:write', success: 201, writes: 'events', target: at('/v1/wallets', { type: 'main', currency: 'EUR' }) },
  { method: 'GET', path: '/v1/wallets', access: 'wallets:read', success: 200, target: at('/v1/wallets') },
  { method: 'GET', path: '/v1/wallets/{walletId}', access: 'wallets:read', success: 200, target: async (w) => ({ path: `/v1/wallets/${w.walletId}` }) },
  {
    method: 'POST', path: '/v1/wallets/{walletId}/owners', access: 'wallets:write', success: 201, writes: 'events',
    // A new owner each time, so an accepted request always records an event.
    target: async (w) => ({ path: `/v1/wallets/${w.walletId}/owners`, body: { ownerType: 'user', ownerRef: `u-${randomBytes(4).toString('hex')}` } }),
  },
  {
    method: 'POST', path: '/v1/wallets/{walletId}/overdraft-limit', access: 'wallets:write', success: 200, writes: 'events',
    // Every accepted limit records an event, whatever the limit was before.
    target: async (w) => ({ path: `/v1/wallets/${w.walletId}/overdraft-limit`, body: { overdraftLimit: String(randomBytes(2).readUInt16BE()) } }),
  },
  { method: 'POST', path: '/v1/wallets/{walletId}/transactions', access: 'wallets:write', success: 201, writes: 'events', target: async (w) => ({ path: `/v1/wallets/${w.walletId}/transactions`, body: { type: 'credit', amount: '1' } }) },
  { method: 'GET', path: '/v1/wallets/{walletId}/transactions', access: 'wallets:read', success: 200, target: async (w) => ({ path: `/v1/wallets/${w.walletId}/transactions` }) },
  { method: 'GET', path: '/v1/wallets/{walletId}/transactions/{transactionId}', access: 'wallets:read', success: 200, target: async (w) => ({ path: `/v1/wallets/${w.walletId}/transactions/${w.transactionId}` }) },
  {
    method: 'POST', path: '/v1/wallets/{walletId}/transactions/{transactionId}/confirm', access: 'wallets:write', success: 200, writes: 'events',
    target: async (w) => ({ path: `/v1/wallets/${w.walletId}/transactions/${await pendingTransaction(w)}/confirm` }),
  },
  {
    method: 'POST', path: '/v1/wallets/{walletId}/transactions/{transactionId}/reject', access: 'wallets:write', success: 200, writes: 'events',
    target: async (w) => ({ path: `/v1/wallets/${w.walletId}/transactions/${await pendingTransaction(w)}/reject`, body: { reason: 'matrix' } }),
  },
  {
    method: 'POST', path: '/v1/wallets/{walletId}/transactions/{transactionId}/increase', access: 'wallets:write', success: 200, writes: 'events',
    target: async (w) => ({ path: `/v1/wallets/${w.walletId}/transactions/${await pendingTransaction(w)}/increase`, body: { amount: '1' } }),
  },
  {
    method: 'POST', path: '/v1/wallets/{walletId}/transactions/{transactionId}/reverse', access: 'wallets:write', success: 201, writes: 'events',
    target: async (w) => ({ path: `/v1/wallets/${w.walletId}/transactions/${await confirmedTransaction(w)}/reverse`, body: { reason: 'matrix' } }),
  },
  { method: 'GET', path: '/v1/wallets/{walletId}/balance', access: 'wallets:read', success: 200, target: async (w) => ({ path: `/v1/wallets/${w.walletId}/balance` }) },
  { method: 'GET', path: '/v1/wallets/{walletId}/snapshots', access: 'wallets:read', success: 200, target: async (w) => ({ path: `/v1/wallets/${w.walletId}/snapshots` }) },
  { method: 'POST', path: '/v1/transaction-groups', access: 'wallets:write', success: 201, writes: 'events', target: async (w) => ({ path: '/v1/transaction-groups', body: groupBody(w, false) }) },
  { method: 'GET', path: '/v1/transactions', access: 'wallets:read', success: 200, target: async (w) => ({ path: `/v1/transactions?walletId=${w.walletId}` }) },
  { method: 'GET', path: '/v1/transaction-groups', access: 'wallets:read', success: 200, target: at('/v1/transaction-groups') },
  { method: 'GET', path: '/v1/totals', access: 'admin', success: 200, target: at('/v1/totals?currency=EUR') },
  { method: 'GET', path: '/v1/transaction-groups/{groupId}', access: 'wallets:read', success: 200, target: async (w) => ({ path: `/v1/transaction-groups/${w.groupId}` }) },
  {
    method: 'POST', path: '/v1/transaction-groups/{groupId}/confirm', access: 'wallets:write', success: 200, writes: 'events',
    target: async (w) => ({ path: `/v1/transaction-groups/${await pendingGroup(w)}/confirm` }),
  },
  {
    method: 'POST', path: '/v1/transaction-groups/{groupId}/reject', access: 'wallets:write', success: 200, writes: 'events',
    target: async (w) => ({ path: `/v1/transaction-groups/${await pendingGroup(w)}/reject`, body: { reason: 'matrix' } }),
  },
  {
    method: 'POST', path: '/v1/transaction-groups/{groupId}/reverse', access: 'wallets:write', success: 201, writes: 'events',
    target: async (w) => ({ path: `/v1/transaction-groups/${await completedGroup(w)}/reverse`, body: { reason: 'matrix' } }),
  },
  { method: 'POST', path: '/v1/transfers', access: 'wallets:write', success: 201, writes: 'events', target: async (w) => ({ path: '/v1/transfers', body: { fromWalletId: w.walletId, toWalletId: w.otherWalletId, amount: '1' } }) },
  { method: 'GET', path: '/v1/events', access: 'events:read', success: 200, target: at('/v1/events?limit=5') },
  { method: 'GET', path: '/v1/events/stream', access: 'events:read', success: 200, target: at('/v1/events/stream') },
  { method: 'POST', path: '/v1/webhook-endpoints', access: 'webhooks:manage', success: 201, writes: 'webhook endpoints', target: at('/v1/webhook-endpoints', HOOK) },
  { method: 'GET', path: '/v1/webhook-endpoints', access: 'webhooks:manage', success: 200, target: at('/v1/webhook-endpoints') },
  { method: 'GET', path: '/v1/webhook-endpoints/{endpointId}', access: 'webhooks:manage', success: 200, target: async (w) => ({ path: `/v1/webhook-endpoints/${w.endpointId}` }) },
  {
    method: 'POST', path: '/v1/webhook-endpoints/{endpointId}/disable', access: 'webhooks:manage', success: 200, writes: 'webhook endpoints',
    target: async (w) => ({ path: `/v1/webhook-endpoints/${await freshEndpoint(w)}/disable` }),
  },
  {
    method: 'POST', path: '/v1/webhook-endpoints/{endpointId}/enable', access: 'webhooks:manage', success: 200, writes: 'webhook endpoints',
    target: async (w) => ({ path: `/v1/webhook-endpoints/${await disabledEndpoint(w)}/enable` }),
  },
  {
    method: 'POST', path: '/v1/webhook-endpoints/{endpointId}/replay', access: 'webhooks:manage', success: 200, writes: 'webhook endpoints',
    target: async (w) => ({ path: `/v1/webhook-endpoints/${await freshEndpoint(w)}/replay`, body: { after: '0' } }),
  },
  {
    method: 'POST', path: '/v1/webhook-endpoints/{endpointId}/rotate-secret', access: 'webhooks:manage', success: 200, writes: 'webhook endpoints',
    target: async (w) => ({ path: `/v1/webhook-endpoints/${await freshEndpoint(w)}/rotate-secret` }),
  },
  { method: 'GET', path: '/v1/webhook-endpoints/{endpointId}/deliveries', access: 'webhooks:manage', success: 200, target: async (w) => ({ path: `/v1/webhook-endpoints/${w.endpointId}/deliveries` }) },
  { method: 'GET', path: '/health/live', access: 'public', success: 200, target: at('/health/live') },
  { method: 'GET', path: '/health/ready', access: 'public', success: 200, target: at('/health/ready') },
  { method: 'GET', path: '/metrics', access: 'METRICS_PUBLIC', success: 200, target: at('/metrics') },
  // Served by the OpenAPI module, not a controller, and not listed in the document itself.
  { method: 'GET', path: '/docs', access: 'DOCS_PUBLIC', success: 200, target: at('/docs') },
  { method: 'GET', path: '/docs/json', access: 'DOCS_PUBLIC', success: 200, target: at('/docs/json') },
];

const routeName = (route: { method: string; path: string }) => `${route.method} ${route.path}`;
const OPENAPI_ROUTES = new Set(['/docs', '/docs/json']);

/** Paths that match no route: 401 to a caller without a valid key, 404 to any valid key. */
const UNKNOWN = [
  { method: 'GET', path: '/v1/nothing-here' },
  { method: 'GET', path: '/nothing-here' },
  { method: 'DELETE', path: '/v1/wallets', wrongMethod: true },
  { method: 'POST', path: '/v1/wallets/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b/nothing-here', body: { type: 'credit', amount: '1' } },
] as const;

// ---- fixtures made with the test admin key ----

async function asAdmin(world: World, path: string, body: unknown, status: number): Promise<any> {
  const answer = await post(world.app.baseUrl, path, body);
  if (answer.status !== status) throw new Error(`POST ${path} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

const pendingTransaction = async (w: World): Promise<string> =>
  (await asAdmin(w, `/v1/wallets/${w.walletId}/transactions`, { type: 'credit', amount: '1', pending: true }, 201)).transaction.id;

const confirmedTransaction = async (w: World): Promise<string> =>
  (await asAdmin(w, `/v1/wallets/${w.walletId}/transactions`, { type: 'credit', amount: '1' }, 201)).transaction.id;

const groupBody = (w: World, pending: boolean) => ({
  pending,
  transactions: [
    { walletId: w.walletId, type: 'debit', amount: '1' },
    { walletId: w.otherWalletId, type: 'credit', amount: '1' },
  ],
});

const pendingGroup = async (w: World): Promise<string> => (await asAdmin(w, '/v1/transaction-groups', groupBody(w, true), 201)).group.id;

const completedGroup = async (w: World): Promise<string> => (await asAdmin(w, '/v1/transaction-groups', groupBody(w, false), 201)).group.id;

const freshEndpoint = async (w: World): Promise<string> => (await asAdmin(w, '/v1/webhook-endpoints', HOOK, 201)).id;

const disabledEndpoint = async (w: World): Promise<string> => {
  const id = await freshEndpoint(w);
  await asAdmin(w, `/v1/webhook-endpoints/${id}/disable`, undefined, 200);
  return id;
};

const victimKey = async (w: World): Promise<string> => (await issueKey(w.app.baseUrl, { name: 'to be revoked', scopes: ['wallets:read'] })).id;

// ---- callers ----

interface Caller {
  readonly name: string;
  readonly headers: Record<string, string>;
  /** The scopes of a valid key; undefined for no key, a malformed one or an unusable one. */
  readonly scopes?: readonly Scope[];
}

/** A clock the API runs on that the test can move forward, so a key can expire without waiting. */
function movableClock(): Clock & { advance(ms: number): void } {
  let offsetMs = 0;
  return { now: () => new Date(Date.now() + offsetMs), advance: (ms) => void (offsetMs += ms) };
}

/** One caller of each kind against `app`; the revoked and expired keys are shown to work before they stop working. */
async function makeCallers(app: TestApp, clock: ReturnType<typeof movableClock>): Promise<Caller[]> {
  const base = app.baseUrl;
  const scoped = async (scopes: Scope[]): Promise<Caller> => ({ name: `a key with ${scopes.join(' + ')}`, headers: (await issueKey(base, { name: scopes.join(' '), scopes })).headers, scopes });
  const revoked = await issueKey(base, { name: 'revoked', scopes: ['admin'] });
  const expiring = await issueKey(base, { name: 'expiring', scopes: ['admin'], expiresAt: new Date(clock.now().getTime() + 60_000).toISOString() });
  await assertWorks(base, revoked);
  await assertWorks(base, expiring);
  await revokeKey(base, revoked.id);
  clock.advance(120_000);
  return [
    { name: 'no Authorization header', headers: {} },
    { name: 'Basic credentials', headers: { authorization: `Basic ${Buffer.from(`${TEST_ADMIN_KEY}:`).toString('base64')}` } },
    { name: 'the admin key without a scheme', headers: { authorization: TEST_ADMIN_KEY } },
    { name: '"Bearer" with no token', headers: { authorization: 'Bearer' } },
    { name: 'a random bearer token', headers: bearer(randomBytes(24).toString('hex')) },
    { name: 'an unknown key of the right shape', headers: bearer(`wsk_${randomBytes(32).toString('base64url')}`) },
    { name: 'a revoked admin key', headers: revoked.headers },
    { name: 'an expired admin key', headers: expiring.headers },
    await scoped(['wallets:read']),
    await scoped(['wallets:write']),
    await scoped(['events:read']),
    await scoped(['webhooks:manage']),
    await scoped(['wallets:read', 'wallets:write', 'events:read']),
    await scoped(['admin']),
  ];
}

async function assertWorks(baseUrl: string, key: IssuedKey): Promise<void> {
  const answer = await get(baseUrl, '/v1/api-keys?limit=1', key.headers);
  if (answer.status !== 200) throw new Error(`key ${key.id} did not work before it was revoked or expired: ${answer.status}`);
}

// ---- one request, one row of the matrix ----

interface Row {
  readonly caller: string;
  readonly status: number;
  readonly code?: string;
  readonly problem?: boolean;
  readonly challenge: string | null;
  readonly changed?: boolean;
}

const CHALLENGE = 'Bearer realm="wallet"';

function observed(caller: string, answer: Answer, changed: boolean | undefined): Row {
  const row: Row = { caller, status: answer.status, challenge: answer.headers.get('www-authenticate'), ...(changed === undefined ? {} : { changed }) };
  if (answer.status < 400) return row;
  const problem = (answer.headers.get('content-type') ?? '').startsWith('application/problem+json') && answer.body?.status === answer.status && typeof answer.body?.title === 'string';
  return { ...row, code: answer.body?.code, problem };
}

type Outcome = 'allowed' | 'unauthenticated' | 'forbidden';

/** The contract: a valid key is needed unless the route is public; admin includes every scope. */
function outcome(caller: Caller, needs: Scope | 'public'): Outcome {
  if (needs === 'public') return 'allowed';
  if (caller.scopes === undefined) return 'unauthenticated';
  return caller.scopes.includes('admin') || caller.scopes.includes(needs) ? 'allowed' : 'forbidden';
}

function expectedRow(caller: string, result: Outcome | 'not found' | 'wrong method', success: number, writes: boolean): Row {
  const changed = writes ? { changed: result === 'allowed' } : {};
  switch (result) {
    case 'allowed':
      return { caller, status: success, challenge: null, ...changed };
    case 'unauthenticated':
      return { caller, status: 401, code: 'UNAUTHENTICATED', problem: true, challenge: CHALLENGE, ...changed };
    case 'forbidden':
      return { caller, status: 403, code: 'FORBIDDEN', problem: true, challenge: null, ...changed };
    case 'not found':
      return { caller, status: 404, code: 'NOT_FOUND', problem: true, challenge: null };
    case 'wrong method':
      return { caller, status: 405, code: 'METHOD_NOT_ALLOWED', problem: true, challenge: null };
  }
}

/** The event log's head for event writes, the key table's counts for key writes, every endpoint's state for endpoint writes. */
async function footprint(app: TestApp, writes: Route['writes']): Promise<string> {
  if (writes === 'events') return (await logHead(app)).toString();
  if (writes === 'webhook endpoints') {
    const { rows } = await app.database.pool.query<{ state: string | null }>(
      "select string_agg(id || ' ' || status || ' ' || delivered_through || ' ' || secret, ',' order by id) as state from webhooks.endpoints",
    );
    return rows[0]!.state ?? '';
  }
  const { rows } = await app.database.pool.query<{ keys: string; revoked: string }>('select count(*) as keys, count(revoked_at) as revoked from access.api_keys');
  return `${rows[0]!.keys}/${rows[0]!.revoked}`;
}

/** Every caller against one route: the rows observed and the rows the contract expects. */
async function runRoute(world: World, callers: readonly Caller[], route: Route, needs: Scope | 'public', method: string = route.method) {
  const actual: Row[] = [];
  const expected: Row[] = [];
  for (const caller of callers) {
    const target = await route.target(world);
    const before = route.writes ? await footprint(world.app, route.writes) : undefined;
    const answer = await send(world.app.baseUrl, method, target.path, caller.headers, target.body);
    const changed = route.writes ? (await footprint(world.app, route.writes)) !== before : undefined;
    actual.push(method === 'HEAD' ? { caller: caller.name, status: answer.status, challenge: answer.headers.get('www-authenticate') } : observed(caller.name, answer, changed));
    const row = expectedRow(caller.name, outcome(caller, needs), route.success, route.writes !== undefined);
    expected.push(method === 'HEAD' ? { caller: row.caller, status: row.status, challenge: row.challenge } : row);
  }
  return { actual, expected };
}

/** Route paths as `METHOD /a/{param}`, read from the controllers of every module the application imports. */
async function controllerRoutes(databaseUrl: string): Promise<Set<string>> {
  const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl, ADMIN_API_KEY: TEST_ADMIN_KEY });
  const routes = new Set<string>();
  const visited = new Set<unknown>();
  const visit = async (entry: unknown): Promise<void> => {
    const resolved = await entry;
    if (!resolved || visited.has(resolved)) return;
    visited.add(resolved);
    if (typeof resolved === 'object' && 'forwardRef' in resolved) return visit((resolved as { forwardRef: () => unknown }).forwardRef());
    const dynamic = typeof resolved === 'object' && 'module' in resolved ? (resolved as DynamicModule) : undefined;
    const moduleClass = (dynamic?.module ?? resolved) as Type;
    const controllers = [...(dynamic?.controllers ?? []), ...(Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, moduleClass) ?? [])];
    for (const controller of controllers) for (const route of routesOf(controller)) routes.add(route);
    for (const imported of [...(dynamic?.imports ?? []), ...(Reflect.getMetadata(MODULE_METADATA.IMPORTS, moduleClass) ?? [])]) await visit(imported);
  };
  await visit(AppModule.forRoot({ config, databaseUrl }));
  return routes;
}

function routesOf(controller: Type): string[] {
  const prefixes = [Reflect.getMetadata(PATH_METADATA, controller) ?? ''].flat() as string[];
  const routes: string[] = [];
  for (const name of Object.getOwnPropertyNames(controller.prototype)) {
    const handler = Object.getOwnPropertyDescriptor(controller.prototype, name)?.value;
    const method = typeof handler === 'function' ? (Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined) : undefined;
    if (method === undefined) continue;
    for (const prefix of prefixes) {
      for (const path of [Reflect.getMetadata(PATH_METADATA, handler) ?? ''].flat() as string[]) {
        const joined = `/${prefix}/${path}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1').replace(/:(\w+)/g, '{$1}');
        routes.push(`${RequestMethod[method]} ${joined}`);
      }
    }
  }
  return routes;
}

// ---- the specs ----

/** Keys are used far faster than any real client would; the rate limit is not what is tested here. */
const ENV = { RATE_LIMIT_PER_SECOND: '1000000', WEBHOOK_ALLOW_PRIVATE_URLS: 'true' };

describe('access matrix: every route × every kind of caller', () => {
  let app: TestApp;
  let world: World;
  let callers: Caller[];
  const clock = movableClock();

  beforeAll(async () => {
    app = await startTestApp({ env: ENV, clock });
    const walletId = await fundedWallet(app.baseUrl, '1000000');
    const otherWalletId = await fundedWallet(app.baseUrl, '1000');
    const partial = { app, walletId, otherWalletId, transactionId: '', groupId: '', endpointId: '' };
    const transactionId = (await asAdmin(partial, `/v1/wallets/${walletId}/transactions`, { type: 'credit', amount: '5' }, 201)).transaction.id;
    world = { ...partial, transactionId, groupId: await pendingGroup(partial), endpointId: await freshEndpoint(partial) };
    callers = await makeCallers(app, clock);
    // The GET routes read the read model: wait until it holds every fixture.
    const ready = await getAfter(app, `/v1/transaction-groups/${world.groupId}`, await logHead(app));
    if (ready.status !== 200) throw new Error(`read model never caught up: ${ready.status}`);
  });
  afterAll(async () => app?.close());

  describe('the route table', () => {
    it('holds every route the controllers declare, and nothing they do not', async () => {
      const declared = [...(await controllerRoutes(app.database.url))].sort();
      const table = ROUTES.filter((route) => !OPENAPI_ROUTES.has(route.path)).map(routeName).sort();
      expect(table).toEqual(declared);
    });

    it('holds every route of the OpenAPI document, and the document lists every route of the table', async () => {
      const document = await get(app.baseUrl, '/docs/json');
      expect(document.status).toBe(200);
      const documented = Object.entries(document.body.paths as Record<string, Record<string, unknown>>)
        .flatMap(([path, operations]) => Object.keys(operations).filter((key) => key !== 'parameters').map((method) => `${method.toUpperCase()} ${path}`))
        .sort();
      expect(documented.length).toBeGreaterThan(0);
      const table = ROUTES.filter((route) => !OPENAPI_ROUTES.has(route.path)).map(routeName).sort();
      expect(documented).toEqual(table);
    });
  });

  describe('callers', () => {
    it('the revoked and the expired key are listed as such', async () => {
      const listed = await get(app.baseUrl, '/v1/api-keys?limit=500');
      const statuses = Object.fromEntries((listed.body.items as { name: string; status: string }[]).map((key) => [key.name, key.status]));
      expect(statuses).toMatchObject({ revoked: 'revoked', expiring: 'expired', admin: 'active' });
    });
  });

  const openTo = (access: Access): Scope | 'public' => (access === 'METRICS_PUBLIC' || access === 'DOCS_PUBLIC' ? 'public' : access);

  it.each(ROUTES.map((route) => [routeName(route), route] as const))('%s', async (_name, route) => {
    const { actual, expected } = await runRoute(world, callers, route, openTo(route.access));
    expect(actual).toEqual(expected);
  });

  it('HEAD, which the server adds to every GET route, needs what its GET needs', async () => {
    const guarded = ROUTES.filter((route) => route.method === 'GET' && openTo(route.access) !== 'public');
    for (const route of guarded) {
      const needs = openTo(route.access);
      // An admitted HEAD of the event stream gets no answer at all (its headers wait for a first
      // body write, which HEAD never sends), so only its refusals can be checked here.
      const askers = route.path === '/v1/events/stream' ? callers.filter((caller) => outcome(caller, needs) !== 'allowed') : callers;
      const { actual, expected } = await runRoute(world, askers, route, needs, 'HEAD');
      expect({ route: routeName(route), rows: actual }).toEqual({ route: routeName(route), rows: expected });
    }
  });

  it('a path that matches no route: 401 without a valid key, 404 (405 for a known path) with any valid key', async () => {
    for (const unknown of UNKNOWN) {
      const actual: Row[] = [];
      const expected: Row[] = [];
      for (const caller of callers) {
        const answer = await send(app.baseUrl, unknown.method, unknown.path, caller.headers, 'body' in unknown ? unknown.body : undefined);
        actual.push(observed(caller.name, answer, undefined));
        const missing = 'wrongMethod' in unknown ? 'wrong method' : 'not found';
        expected.push(expectedRow(caller.name, caller.scopes === undefined ? 'unauthenticated' : missing, 0, false));
      }
      expect({ path: `${unknown.method} ${unknown.path}`, rows: actual }).toEqual({ path: `${unknown.method} ${unknown.path}`, rows: expected });
    }
  });
});

describe('access matrix with METRICS_PUBLIC=false and DOCS_PUBLIC=false', () => {
  let app: TestApp;
  let world: World;
  let callers: Caller[];
  const clock = movableClock();

  beforeAll(async () => {
    app = await startTestApp({ env: { ...ENV, METRICS_PUBLIC: 'false', DOCS_PUBLIC: 'false' }, clock });
    world = { app, walletId: '', otherWalletId: '', transactionId: '', groupId: '', endpointId: '' };
    callers = await makeCallers(app, clock);
  });
  afterAll(async () => app?.close());

  const operational = ROUTES.filter((route) => route.access === 'public' || route.access === 'METRICS_PUBLIC' || route.access === 'DOCS_PUBLIC');

  it.each(operational.map((route) => [routeName(route), route] as const))('%s', async (_name, route) => {
    const needs = route.access === 'public' ? 'public' : 'admin';
    const { actual, expected } = await runRoute(world, callers, route, needs);
    expect(actual).toEqual(expected);
  });

  it('the OpenAPI UI assets need admin too', async () => {
    const admin = await send(app.baseUrl, 'GET', '/docs/swagger-ui.css', bearer(TEST_ADMIN_KEY));
    const anonymous = await send(app.baseUrl, 'GET', '/docs/swagger-ui.css', {});
    expect([admin.status, anonymous.status, anonymous.headers.get('www-authenticate')]).toEqual([200, 401, CHALLENGE]);
  });
});
