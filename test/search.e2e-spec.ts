import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Clock } from '@wallet/config';
import { type IssuedKey, issueKey } from './support/callers';
import { expectedTotals, totalsAt } from './support/currency-totals';
import { type HttpResult, get, post } from './support/http';
import { READ_SIDE_ENV, getAfter, logHead } from './support/read-model';
import { type TestApp, startTestApp } from './support/test-app';

/**
 * Search, lists and totals over HTTP against a brute-force answer: a seeded plan records a
 * few hundred transactions and groups with random metadata and references on wallets of two
 * owners (and of none), a share of them archived. Every sampled combination of filters, walked
 * page by page, must give exactly the transactions (or groups) a filter over everything known
 * gives, in order, each once; a key bound to an owner must get exactly its owner's share; and
 * totals must equal a fold of the wallet streams, now and at past positions.
 */

const SEED = 1717;
const OPERATIONS = 320;
const COMBINATIONS = 60;

type Json = string | number | boolean | null;
type Metadata = Record<string, Json>;

/** The values metadata is drawn from: numbers and booleans also as the strings that spell them. */
const METADATA_VALUES: Readonly<Record<string, readonly Json[]>> = {
  color: ['red', 'green', 'blue'],
  n: [1, 2, '2', 3],
  vip: [true, false, 'true'],
  note: [null, 'null', 'x'],
};
/** What filters ask for: every stored value as text, and values nothing holds. */
const FILTER_TEXTS: Readonly<Record<string, readonly string[]>> = {
  color: ['red', 'green', 'blue', 'purple'],
  n: ['1', '2', '3', '2.0', '4'],
  vip: ['true', 'false', 'yes'],
  note: ['null', 'x', ''],
  absent: ['1'],
};

const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]{1,3})?$/;

/** The rule of the contract: the text matches the string it is, and the number, boolean or null it spells. */
function entryMatches(value: Json | undefined, text: string): boolean {
  if (value === undefined) return false;
  if (typeof value === 'string') return value === text;
  if (typeof value === 'number') return JSON_NUMBER.test(text) && Number(text) === value;
  return String(value) === text;
}

const metadataMatches = (metadata: Metadata, filter: Readonly<Record<string, string>>) => Object.entries(filter).every(([key, text]) => entryMatches(metadata[key], text));

interface TransactionView {
  readonly id: string;
  readonly walletId: string;
  readonly type: string;
  readonly status: string;
  readonly reference: string | null;
  readonly metadata: Metadata;
  readonly createdAt: string;
}

interface GroupView {
  readonly id: string;
  readonly status: string;
  readonly reference: string | null;
  readonly transactions: readonly TransactionView[];
}

interface TransactionSearch {
  walletId?: string;
  reference?: string;
  metadata?: Record<string, string>;
  type?: string;
  status?: string;
  from?: string;
  to?: string;
  order?: 'asc' | 'desc';
}

/** A deterministic random source for the plan and the sampled filters. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function queryString(search: object, limit: number): string {
  const parts = [`limit=${limit}`];
  for (const [key, value] of Object.entries(search)) {
    if (value === undefined) continue;
    if (key === 'metadata') for (const [name, text] of Object.entries(value as Record<string, string>)) parts.push(`metadata[${name}]=${encodeURIComponent(text)}`);
    else parts.push(`${key}=${encodeURIComponent(String(value))}`);
  }
  return parts.join('&');
}

describe('search, lists and totals over HTTP (seeded, against a brute-force filter)', () => {
  let app: TestApp;
  let nowMs = Date.parse('2032-05-01T08:00:00.000Z');
  const clock: Clock = { now: () => new Date((nowMs += 7)) };
  const random = seededRandom(SEED);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const chance = (p: number) => random() < p;

  const suffix = randomBytes(4).toString('hex');
  const alice = { ownerType: 'user', ownerRef: `alice-${suffix}` };
  const bob = { ownerType: 'user', ownerRef: `bob-${suffix}` };
  let keys: { alice: IssuedKey; bob: IssuedKey };
  const walletsOf = { alice: [] as string[], bob: [] as string[], nobody: [] as string[] };
  let eurWallets: string[] = [];
  const transactionIds = new Set<string>();
  const groupIds = new Set<string>();

  /** Everything known once the plan ran: transactions by id (with their created position) and groups. */
  let transactions: (TransactionView & { createdPosition: bigint })[] = [];
  let groups: GroupView[] = [];
  let head = 0n;

  const must = async (answer: Promise<HttpResult>, status: number): Promise<any> => {
    const { status: got, body } = await answer;
    if (got !== status) throw new Error(`expected ${status}, got ${got}: ${JSON.stringify(body)}`);
    return body;
  };

  const randomMetadata = (): Metadata => {
    const metadata: Metadata = {};
    for (const [key, values] of Object.entries(METADATA_VALUES)) if (chance(0.6)) metadata[key] = pick(values);
    return metadata;
  };

  async function openWallet(owner: typeof alice | undefined, currency = 'EUR'): Promise<string> {
    const body = { type: 'main', currency, owners: owner ? [owner] : [], metadata: randomMetadata() };
    const opened = await must(post(app.baseUrl, '/v1/wallets', body), 201);
    const funded = await must(post(app.baseUrl, `/v1/wallets/${opened.id}/transactions`, { type: 'credit', amount: '1000000', metadata: randomMetadata() }), 201);
    transactionIds.add(funded.transaction.id);
    return opened.id as string;
  }

  /** The seeded plan: single transactions and holds, transfers (some pending), settlements. */
  async function runPlan(): Promise<void> {
    const usedReferences = new Map<string, Set<string>>();
    const pending: { kind: 'transaction' | 'group'; walletId?: string; id: string }[] = [];
    const referenceFor = (walletId: string): string | undefined => {
      const reference = `ref-${Math.floor(random() * 40)}`;
      const used = usedReferences.get(walletId) ?? new Set<string>();
      usedReferences.set(walletId, used);
      if (!chance(0.5) || used.has(reference)) return undefined;
      used.add(reference);
      return reference;
    };
    for (let i = 0; i < OPERATIONS; i += 1) {
      const roll = random();
      if (roll < 0.12 && pending.length > 0) {
        const settled = pending.splice(Math.floor(random() * pending.length), 1)[0]!;
        const action = chance(0.6) ? 'confirm' : 'reject';
        const path = settled.kind === 'group' ? `/v1/transaction-groups/${settled.id}/${action}` : `/v1/wallets/${settled.walletId}/transactions/${settled.id}/${action}`;
        await must(post(app.baseUrl, path), 200);
      } else if (roll < 0.75) {
        const walletId = pick([...eurWallets, ...walletsOf.alice.slice(-1)]);
        const body = { type: pick(['credit', 'debit']), amount: String(1 + Math.floor(random() * 500)), metadata: randomMetadata(), reference: referenceFor(walletId), pending: chance(0.25) };
        const recorded = await must(post(app.baseUrl, `/v1/wallets/${walletId}/transactions`, body), 201);
        transactionIds.add(recorded.transaction.id);
        if (body.pending) pending.push({ kind: 'transaction', walletId, id: recorded.transaction.id });
      } else {
        const [from, to] = [pick(eurWallets), pick(eurWallets)];
        if (from === to) continue;
        const body = { fromWalletId: from, toWalletId: to, amount: String(1 + Math.floor(random() * 300)), reference: chance(0.5) ? `g-${i}` : undefined, pending: chance(0.2) };
        const made = await must(post(app.baseUrl, '/v1/transfers', body), 201);
        groupIds.add(made.group.id);
        for (const leg of made.group.transactions) transactionIds.add(leg.id);
        if (body.pending) pending.push({ kind: 'group', id: made.group.id });
      }
    }
  }

  /** Moves a seeded share of the settled transactions to the archive, as the archiver does. */
  async function archiveSome(): Promise<void> {
    const { rows } = await app.database.pool.query<{ id: string }>(`select id from read_model.transactions where status <> 'pending' order by id`);
    const chosen = rows.filter(() => chance(0.3)).map((row) => row.id);
    const moved = await app.database.pool.query(
      'with m as (delete from read_model.transactions where id = any($1::uuid[]) returning *) insert into read_model.transactions_archive select * from m',
      [chosen],
    );
    expect(moved.rowCount).toBe(chosen.length);
    expect(chosen.length).toBeGreaterThan(20);
  }

  /** Everything there is to find, read with the admin key through routes other specs hold to the log. */
  async function learnEverything(): Promise<void> {
    const { rows } = await app.database.pool.query<{ id: string; created_position: string }>(
      'select id, created_position from read_model.transactions union all select id, created_position from read_model.transactions_archive',
    );
    const createdAt = new Map(rows.map((row) => [row.id, BigInt(row.created_position)]));
    const views: TransactionView[] = [];
    for (const walletId of [...walletsOf.alice, ...walletsOf.bob, ...walletsOf.nobody]) {
      const history = await getAfter(app, `/v1/wallets/${walletId}/transactions?limit=500&order=asc`, head);
      expect([history.status, history.body.nextCursor]).toEqual([200, null]);
      views.push(...history.body.items);
    }
    transactions = views.map((view) => ({ ...view, createdPosition: createdAt.get(view.id)! }));
    // The known data and the read model hold the same transactions, each once.
    expect(transactions.map((view) => view.id).sort()).toEqual([...transactionIds].sort());
    expect(transactions.filter((view) => (view as { archived?: boolean }).archived).length).toBeGreaterThan(20);
    // Each transaction is recorded by an event of its own, legs of one group included: the position is a keyset.
    expect(new Set(transactions.map((view) => view.createdPosition)).size).toBe(transactions.length);
    groups = [];
    for (const groupId of groupIds) groups.push((await getAfter(app, `/v1/transaction-groups/${groupId}`, head)).body);
  }

  beforeAll(async () => {
    app = await startTestApp({ env: READ_SIDE_ENV, clock });
    keys = {
      alice: await issueKey(app.baseUrl, { name: 'alice', scopes: ['wallets:read'], owner: alice }),
      bob: await issueKey(app.baseUrl, { name: 'bob', scopes: ['wallets:read'], owner: bob }),
    };
    for (let i = 0; i < 3; i += 1) walletsOf.alice.push(await openWallet(alice));
    for (let i = 0; i < 2; i += 1) walletsOf.bob.push(await openWallet(bob));
    walletsOf.nobody.push(await openWallet(undefined));
    eurWallets = [...walletsOf.alice, ...walletsOf.bob, ...walletsOf.nobody];
    // A wallet of another currency, held by Alice: searches span currencies, totals do not.
    walletsOf.alice.push(await openWallet(alice, 'USD'));
    await runPlan();
    head = await logHead(app);
    await must(getAfter(app, `/v1/wallets/${eurWallets[0]}`, head), 200);
    await archiveSome();
    await learnEverything();
  }, 300_000);
  afterAll(async () => app?.close());

  /** Follows nextCursor from the first page to the last, asserting each page's size bound. */
  async function walk(path: string, limit: number, headers?: Record<string, string>): Promise<any[]> {
    const items: any[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: HttpResult = await getAfter(app, `${path}${cursor === null ? '' : `&cursor=${cursor}`}`, head, headers);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(limit);
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
      pages += 1;
      expect(pages).toBeLessThanOrEqual(transactions.length + 1);
    } while (cursor !== null);
    return items;
  }

  function bruteForceTransactions(search: TransactionSearch, visible: ReadonlySet<string> | undefined): TransactionView[] {
    const order = search.order ?? 'desc';
    const found = transactions.filter(
      (view) =>
        (visible === undefined || visible.has(view.walletId)) &&
        (search.walletId === undefined || view.walletId === search.walletId) &&
        (search.reference === undefined || view.reference === search.reference) &&
        (search.type === undefined || view.type === search.type) &&
        (search.status === undefined || view.status === search.status) &&
        (search.from === undefined || view.createdAt >= search.from) &&
        (search.to === undefined || view.createdAt < search.to) &&
        metadataMatches(view.metadata, search.metadata ?? {}),
    );
    found.sort((a, b) => (a.createdPosition < b.createdPosition ? -1 : 1));
    if (order === 'desc') found.reverse();
    return found.map(({ createdPosition: _position, ...view }) => view);
  }

  function sampleSearch(): TransactionSearch {
    const search: TransactionSearch = {};
    const everyWallet = [...walletsOf.alice, ...walletsOf.bob, ...walletsOf.nobody];
    if (chance(0.35)) search.walletId = chance(0.9) ? pick(everyWallet) : randomUUID();
    if (chance(0.3)) search.reference = pick([...new Set(transactions.flatMap((view) => view.reference ?? []))].sort().concat('ref-none'));
    if (chance(0.55)) {
      search.metadata = {};
      const count = 1 + Math.floor(random() * 3);
      for (let i = 0; i < count; i += 1) {
        const key = pick(Object.keys(FILTER_TEXTS));
        search.metadata[key] = pick(FILTER_TEXTS[key]!);
      }
    }
    if (chance(0.3)) search.type = pick(['credit', 'debit']);
    if (chance(0.3)) search.status = pick(['pending', 'confirmed', 'rejected']);
    if (chance(0.2)) {
      const [a, b] = [pick(transactions).createdAt, pick(transactions).createdAt].sort();
      if (a! < b!) Object.assign(search, { from: a, to: b });
    }
    search.order = pick(['asc', 'desc'] as const);
    return search;
  }

  /** A page size that keeps a walk to at most about 25 pages, often 1 to exercise the cursor hard. */
  const limitFor = (expected: number) => Math.min(500, Math.max(pick([1, 2, 5, 13, 50, 500]), Math.ceil(expected / 25)));

  describe('GET /v1/transactions', () => {
    it(`answers exactly the brute-force filter for ${COMBINATIONS} sampled combinations, every one walked page by page`, async () => {
      let nonEmpty = 0;
      for (let i = 0; i < COMBINATIONS; i += 1) {
        const search = sampleSearch();
        const expected = bruteForceTransactions(search, undefined);
        const limit = limitFor(expected.length);
        const found = await walk(`/v1/transactions?${queryString(search, limit)}`, limit);
        expect({ search, found }).toEqual({ search, found: expected });
        if (expected.length > 0) nonEmpty += 1;
      }
      // The sample is worth something: most combinations find transactions.
      expect(nonEmpty).toBeGreaterThan(COMBINATIONS / 3);
    });

    it('walks every transaction exactly once without any filter, both ways', async () => {
      for (const order of ['asc', 'desc'] as const) {
        const found = await walk(`/v1/transactions?order=${order}&limit=37`, 37);
        expect(found.map((view) => view.id)).toEqual(bruteForceTransactions({ order }, undefined).map((view) => view.id));
        expect(new Set(found.map((view) => view.id)).size).toBe(transactions.length);
      }
    });

    it("shows a key bound to an owner exactly its owner's transactions, whatever it asks for", async () => {
      for (const [name, key] of Object.entries(keys) as ['alice' | 'bob', IssuedKey][]) {
        const visible = new Set(walletsOf[name]);
        for (let i = 0; i < 20; i += 1) {
          const search = i === 0 ? { order: 'asc' as const } : sampleSearch();
          const expected = bruteForceTransactions(search, visible);
          const limit = limitFor(expected.length);
          const found = await walk(`/v1/transactions?${queryString(search, limit)}`, limit, key.headers);
          expect({ name, search, found }).toEqual({ name, search, found: expected });
          expect(found.filter((view) => !visible.has(view.walletId))).toEqual([]);
        }
      }
    });
  });

  describe("a wallet's history with reference and metadata filters", () => {
    it('answers exactly the brute-force filter of that wallet', async () => {
      for (let i = 0; i < 20; i += 1) {
        const walletId = pick(eurWallets);
        const search = { ...sampleSearch(), walletId: undefined };
        const expected = bruteForceTransactions({ ...search, walletId }, undefined);
        const limit = limitFor(expected.length);
        const found = await walk(`/v1/wallets/${walletId}/transactions?${queryString(search, limit)}`, limit);
        expect({ walletId, search, found }).toEqual({ walletId, search, found: expected });
      }
    });
  });

  describe('GET /v1/wallets by metadata', () => {
    it('answers exactly the wallets whose metadata holds every entry asked for', async () => {
      const all = await walk('/v1/wallets?limit=500', 500);
      const ours = new Set(Object.values(walletsOf).flat());
      for (let i = 0; i < 15; i += 1) {
        const filter = { [pick(['color', 'n', 'vip', 'note'])]: pick(['red', 'blue', '2', '1', 'true', 'null']) };
        const expected = all.filter((wallet) => ours.has(wallet.id) && metadataMatches(wallet.metadata, filter));
        const found = (await walk(`/v1/wallets?${queryString({ metadata: filter }, 2)}`, 2)).filter((wallet) => ours.has(wallet.id));
        expect({ filter, found }).toEqual({ filter, found: expected });
      }
    });
  });

  describe('GET /v1/transaction-groups', () => {
    const bruteForceGroups = (search: { reference?: string; walletId?: string; status?: string }, visible: ReadonlySet<string> | undefined) =>
      groups
        .filter(
          (group) =>
            (search.reference === undefined || group.reference === search.reference) &&
            (search.walletId === undefined || group.transactions.some((leg) => leg.walletId === search.walletId)) &&
            (search.status === undefined || group.status === search.status) &&
            (visible === undefined || group.transactions.every((leg) => visible.has(leg.walletId))),
        )
        .sort((a, b) => (a.id < b.id ? -1 : 1));

    const sampleGroupSearch = () => ({
      reference: chance(0.3) ? pick(groups.flatMap((group) => group.reference ?? []).concat('g-none')) : undefined,
      walletId: chance(0.4) ? pick(eurWallets) : undefined,
      status: chance(0.4) ? pick(['pending', 'completed', 'rejected']) : undefined,
    });

    it('answers exactly the brute-force filter, walked page by page, for every caller', async () => {
      expect(groups.length).toBeGreaterThan(30);
      const callers: [string, Record<string, string> | undefined, ReadonlySet<string> | undefined][] = [
        ['admin', undefined, undefined],
        ['alice', keys.alice.headers, new Set(walletsOf.alice)],
        ['bob', keys.bob.headers, new Set(walletsOf.bob)],
      ];
      for (const [name, headers, visible] of callers) {
        for (let i = 0; i < 15; i += 1) {
          const search = i === 0 ? {} : sampleGroupSearch();
          const expected = bruteForceGroups(search, visible);
          const limit = Math.max(pick([1, 3, 50]), Math.ceil(expected.length / 25));
          const found = await walk(`/v1/transaction-groups?${queryString(search, limit)}`, limit, headers);
          expect({ name, search, found }).toEqual({ name, search, found: expected });
        }
      }
      // Each owner sees some groups, and never one with a leg on a wallet it does not hold.
      expect(bruteForceGroups({}, new Set(walletsOf.alice)).length).toBeGreaterThan(0);
    });

    it('finds a group by its reference, and none by a reference only a transaction has', async () => {
      const referenced = groups.find((group) => group.reference !== null)!;
      const found = await getAfter(app, `/v1/transaction-groups?reference=${referenced.reference}`, head);
      expect(found.body).toEqual({ items: [referenced], nextCursor: null });
      const transactionReference = transactions.find((view) => view.reference !== null)!.reference!;
      expect((await getAfter(app, `/v1/transaction-groups?reference=${transactionReference}`, head)).body).toEqual({ items: [], nextCursor: null });
    });
  });

  describe('GET /v1/totals', () => {
    it('equals the sum of the balances of the currency now, and the brute-force fold at it', async () => {
      const all = await walk('/v1/wallets?limit=500', 500);
      for (const currency of ['EUR', 'USD']) {
        const now = await getAfter(app, `/v1/totals?currency=${currency}`, head);
        expect(now.status).toBe(200);
        const mine = all.filter((wallet) => wallet.currency === currency);
        const sum = (field: 'ledger' | 'pendingDebits' | 'pendingCredits') => mine.reduce((total, wallet) => total + BigInt(wallet.balance[field]), 0n).toString();
        expect(now.body).toEqual({ currency, position: now.body.position, wallets: String(mine.length), ledger: sum('ledger'), pendingDebits: sum('pendingDebits'), pendingCredits: sum('pendingCredits') });
        expect(now.body).toEqual(await expectedTotals(app.database.pool, currency, BigInt(now.body.position)));
        expect(BigInt(now.body.position)).toBeGreaterThanOrEqual(head);
      }
    });

    it('equals the brute-force fold at sampled past positions, every currency', async () => {
      const positions = fc.sample(fc.bigInt({ min: 0n, max: head }), { seed: SEED, numRuns: 25 }).concat([0n, 1n, head]);
      for (const position of positions) {
        for (const currency of ['EUR', 'USD']) {
          const answer = await totalsAt(app, currency, position);
          expect({ position, currency, status: answer.status, body: answer.body }).toEqual({
            position,
            currency,
            status: 200,
            body: await expectedTotals(app.database.pool, currency, position),
          });
        }
      }
    });

    it('answers zeros for a currency no wallet has', async () => {
      const answer = await getAfter(app, '/v1/totals?currency=JPY', head);
      expect(answer.body).toEqual({ currency: 'JPY', position: answer.body.position, wallets: '0', ledger: '0', pendingDebits: '0', pendingCredits: '0' });
    });

    it('a position the read model has not reached: 503 READ_MODEL_BEHIND with Retry-After, as balance atPosition', async () => {
      const beyond = (await logHead(app)) + 1_000_000n;
      const answer = await get(app.baseUrl, `/v1/totals?currency=EUR&atPosition=${beyond}`);
      expect([answer.status, answer.body.code, answer.headers.get('retry-after')]).toEqual([503, 'READ_MODEL_BEHIND', '1']);
      expect(answer.headers.get('x-read-model-position')).toMatch(/^[0-9]+$/);
    });

    it('is for admin keys only: a wallets:read key, owner-bound or not, is refused', async () => {
      const reader = await issueKey(app.baseUrl, { name: 'reader', scopes: ['wallets:read'] });
      for (const key of [reader, keys.alice]) expect((await get(app.baseUrl, '/v1/totals?currency=EUR', key.headers)).status).toBe(403);
    });
  });

  describe('bad search input: 400 VALIDATION_FAILED', () => {
    it.each([
      ['six metadata filters', '/v1/transactions?metadata[a]=1&metadata[b]=1&metadata[c]=1&metadata[d]=1&metadata[e]=1&metadata[f]=1'],
      ['a metadata key given twice', '/v1/transactions?metadata[a]=1&metadata[a]=2'],
      ['an empty metadata key', '/v1/wallets?metadata[]=1'],
      ['metadata as a plain value', '/v1/transactions?metadata=red'],
      ['metadata both plain and keyed', '/v1/transactions?metadata=red&metadata[color]=red'],
      ['a nested metadata key', '/v1/transactions?metadata[a][b]=1'],
      ['metadata on a route without it', '/v1/transaction-groups?metadata[a]=1'],
      ['a reference of 256 characters', `/v1/transactions?reference=${'r'.repeat(256)}`],
      ['a reference that is not printable ASCII', '/v1/transaction-groups?reference=%C3%A9'],
      ['a walletId that is not a UUID', '/v1/transactions?walletId=nope'],
      ['a cursor of another list', `/v1/transactions?cursor=${Buffer.from(JSON.stringify({ id: randomUUID() })).toString('base64url')}`],
      ['a cursor of the other order', `/v1/transactions?order=asc&cursor=${Buffer.from(JSON.stringify({ position: '5', order: 'desc' })).toString('base64url')}`],
      ['totals without a currency', '/v1/totals'],
      ['totals of a currency that is not ISO 4217', '/v1/totals?currency=EURO'],
      ['a metadata key of 65 characters', `/v1/wallets?metadata[${'k'.repeat(65)}]=1`],
      ['a __proto__ metadata key', '/v1/transactions?metadata[__proto__]=1'],
    ])('%s', async (_name, path) => {
      const answer = await get(app.baseUrl, path);
      expect([answer.status, answer.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    });

    it('five metadata filters are accepted', async () => {
      const answer = await get(app.baseUrl, '/v1/transactions?metadata[a]=1&metadata[b]=1&metadata[c]=1&metadata[d]=1&metadata[e]=1');
      expect(answer.body).toEqual({ items: [], nextCursor: null });
    });
  });
});
