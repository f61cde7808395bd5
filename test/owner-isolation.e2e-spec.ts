import { randomBytes, randomUUID } from 'node:crypto';
import { type Answer, type IssuedKey, getAfterAs, issueKey, send } from './support/callers';
import { type HttpResult, TEST_ADMIN_KEY, bearer, post } from './support/http';
import { READ_SIDE_ENV, getAfter, logHead } from './support/read-model';
import { readSse } from './support/sse';
import { type TestApp, startTestApp } from './support/test-app';

/**
 * Owner-scoped keys over real HTTP: two owners, Alice and Bob, each with a key bound to them;
 * wallets of each and one they hold jointly, funded by the platform's admin key. A key sees
 * and acts on its owner's wallets only; anything else answers exactly as a wallet (or group)
 * that does not exist, on every route, in the event feed and in groups that mix owners.
 */

interface Owner {
  readonly ownerType: string;
  readonly ownerRef: string;
}

/** One owner as the tests use it: its key and the wallets the admin opened for it. */
interface Party {
  readonly name: string;
  readonly owner: Owner;
  readonly key: IssuedKey;
  readonly wallet: string;
  readonly second: string;
  /** A confirmed transaction of `wallet`. */
  readonly transaction: string;
}

/** What a wallet route is aimed at: a wallet, one of its transactions, a fresh pending one, an owner to add. */
interface Subject {
  readonly wallet: string;
  readonly transaction: string;
  readonly pending: () => Promise<string>;
  readonly newOwner: Owner;
}

interface Probe {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
}

/** Values shared by the requests one check compares, so only the ids differ between them. */
interface Moment {
  readonly head: string;
  readonly at: string;
}

interface WalletRoute {
  readonly name: string;
  readonly success: number;
  /** The code the owner's own wallet answers with when the route refuses owner-bound keys everywhere. */
  readonly refusedWith?: string;
  /** An event stream: read up to its first event rather than answered in full. */
  readonly stream?: true;
  readonly probe: (subject: Subject, moment: Moment) => Promise<Probe>;
}

const withMin = (path: string, moment: Moment) => `${path}${path.includes('?') ? '&' : '?'}minPosition=${moment.head}`;

const WALLET_ROUTES: readonly WalletRoute[] = [
  { name: 'GET /v1/wallets/{walletId}', success: 200, probe: async (s, m) => ({ method: 'GET', path: withMin(`/v1/wallets/${s.wallet}`, m) }) },
  { name: 'GET /v1/wallets/{walletId}/transactions', success: 200, probe: async (s, m) => ({ method: 'GET', path: withMin(`/v1/wallets/${s.wallet}/transactions`, m) }) },
  {
    name: 'GET /v1/wallets/{walletId}/transactions/{transactionId}', success: 200,
    probe: async (s, m) => ({ method: 'GET', path: withMin(`/v1/wallets/${s.wallet}/transactions/${s.transaction}`, m) }),
  },
  { name: 'GET /v1/wallets/{walletId}/balance', success: 200, probe: async (s, m) => ({ method: 'GET', path: withMin(`/v1/wallets/${s.wallet}/balance`, m) }) },
  { name: 'GET /v1/wallets/{walletId}/balance?at', success: 200, probe: async (s, m) => ({ method: 'GET', path: withMin(`/v1/wallets/${s.wallet}/balance?at=${m.at}`, m) }) },
  {
    name: 'GET /v1/wallets/{walletId}/balance?atPosition', success: 200,
    probe: async (s, m) => ({ method: 'GET', path: withMin(`/v1/wallets/${s.wallet}/balance?atPosition=${m.head}`, m) }),
  },
  { name: 'GET /v1/wallets/{walletId}/snapshots', success: 200, probe: async (s, m) => ({ method: 'GET', path: withMin(`/v1/wallets/${s.wallet}/snapshots`, m) }) },
  { name: 'GET /v1/events?walletId', success: 200, probe: async (s) => ({ method: 'GET', path: `/v1/events?walletId=${s.wallet}` }) },
  { name: 'GET /v1/events/stream?walletId', success: 200, stream: true, probe: async (s) => ({ method: 'GET', path: `/v1/events/stream?walletId=${s.wallet}` }) },
  { name: 'POST /v1/wallets/{walletId}/owners', success: 201, probe: async (s) => ({ method: 'POST', path: `/v1/wallets/${s.wallet}/owners`, body: s.newOwner }) },
  // Nor does it lend: setting a limit is refused on its own wallet too.
  {
    name: 'POST /v1/wallets/{walletId}/overdraft-limit', success: 403, refusedWith: 'FORBIDDEN',
    probe: async (s) => ({ method: 'POST', path: `/v1/wallets/${s.wallet}/overdraft-limit`, body: { overdraftLimit: '100' } }),
  },
  // An owner-bound key creates no money: a credit is refused on its own wallet too (403), and
  // on another owner's wallet it answers as for a wallet that does not exist.
  { name: 'POST /v1/wallets/{walletId}/transactions (credit)', success: 403, refusedWith: 'FORBIDDEN', probe: async (s) => ({ method: 'POST', path: `/v1/wallets/${s.wallet}/transactions`, body: { type: 'credit', amount: '3' } }) },
  { name: 'POST /v1/wallets/{walletId}/transactions (debit)', success: 201, probe: async (s) => ({ method: 'POST', path: `/v1/wallets/${s.wallet}/transactions`, body: { type: 'debit', amount: '2' } }) },
  {
    name: 'POST /v1/wallets/{walletId}/transactions (pending debit)', success: 201,
    probe: async (s) => ({ method: 'POST', path: `/v1/wallets/${s.wallet}/transactions`, body: { type: 'debit', amount: '2', pending: true } }),
  },
  {
    name: 'POST /v1/wallets/{walletId}/transactions/{transactionId}/confirm', success: 200,
    probe: async (s) => ({ method: 'POST', path: `/v1/wallets/${s.wallet}/transactions/${await s.pending()}/confirm` }),
  },
  {
    name: 'POST /v1/wallets/{walletId}/transactions/{transactionId}/reject', success: 200,
    probe: async (s) => ({ method: 'POST', path: `/v1/wallets/${s.wallet}/transactions/${await s.pending()}/reject`, body: { reason: 'declined' } }),
  },
  // Raising a pending credit, or reversing a debit (a credit back), would create money too.
  {
    name: 'POST /v1/wallets/{walletId}/transactions/{transactionId}/increase (pending credit)', success: 403, refusedWith: 'FORBIDDEN',
    probe: async (s) => ({ method: 'POST', path: `/v1/wallets/${s.wallet}/transactions/${await s.pending()}/increase`, body: { amount: '1' } }),
  },
  {
    name: 'POST /v1/wallets/{walletId}/transactions/{transactionId}/reverse (debit)', success: 403, refusedWith: 'FORBIDDEN',
    probe: async (s) => ({ method: 'POST', path: `/v1/wallets/${s.wallet}/transactions/${s.transaction}/reverse`, body: { amount: '1' } }),
  },
];

const UUID_IN_TEXT = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** An answer with every id blanked out: what is left is what a caller can tell two answers apart by. */
const shape = (answer: Answer) => ({
  status: answer.status,
  contentType: answer.headers.get('content-type'),
  body: JSON.parse(JSON.stringify(answer.body ?? null).replace(UUID_IN_TEXT, '<id>')),
});

/** Ids in an answer that the request did not name itself: anything here was learned from the answer. */
const idsNotAsked = (answer: Answer, path: string, body?: unknown) => {
  const asked = `${path} ${JSON.stringify(body ?? null)}`.toLowerCase();
  return (JSON.stringify(answer.body ?? null).match(UUID_IN_TEXT) ?? []).filter((id) => !asked.includes(id.toLowerCase()));
};

const hex = () => randomBytes(4).toString('hex');

const ADMIN = bearer(TEST_ADMIN_KEY);

/** Keys are used far faster than a real client would use them; the rate limit is not under test here. */
const ENV = { ...READ_SIDE_ENV, SNAPSHOT_EVERY: '3', RATE_LIMIT_PER_SECOND: '1000000' };

describe('owner-scoped keys', () => {
  let app: TestApp;
  let alice: Party;
  let bob: Party;
  let joint: string;

  const adminPost = async (path: string, body: unknown, status: number): Promise<any> => {
    const answer = await post(app.baseUrl, path, body);
    if (answer.status !== status) throw new Error(`POST ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const openFunded = async (owners: Owner[], amount: string): Promise<string> => {
    const opened = await adminPost('/v1/wallets', { type: 'main', currency: 'USD', owners }, 201);
    await adminPost(`/v1/wallets/${opened.id}/transactions`, { type: 'credit', amount }, 201);
    return opened.id;
  };
  const pendingCredit = async (walletId: string): Promise<string> =>
    (await adminPost(`/v1/wallets/${walletId}/transactions`, { type: 'credit', amount: '4', pending: true }, 201)).transaction.id;
  /** A wallet as the admin sees it once the read model holds every event so far. */
  const walletSeenByAdmin = async (walletId: string) => (await getAfter(app, `/v1/wallets/${walletId}`, await logHead(app))).body;
  const ownersOf = (wallet: { owners: { ownerType: string; ownerRef: string }[] }) => wallet.owners.map(({ ownerType, ownerRef }) => ({ ownerType, ownerRef }));

  const party = async (name: string, amount: string): Promise<Party> => {
    const owner = { ownerType: 'user', ownerRef: `${name}-${hex()}` };
    const key = await issueKey(app.baseUrl, { name, scopes: ['wallets:read', 'wallets:write', 'events:read'], owner });
    const wallet = await openFunded([owner], amount);
    const second = await openFunded([owner], '500');
    const transaction = (await adminPost(`/v1/wallets/${wallet}/transactions`, { type: 'debit', amount: '7' }, 201)).transaction.id;
    await adminPost(`/v1/wallets/${wallet}/transactions`, { type: 'debit', amount: '9', pending: true }, 201);
    return { name, owner, key, wallet, second, transaction };
  };

  beforeAll(async () => {
    app = await startTestApp({ env: ENV });
    alice = await party('alice', '100000');
    bob = await party('bob', '70000');
    joint = await openFunded([alice.owner, bob.owner], '1000');
    const ready = await getAfter(app, `/v1/wallets/${joint}`, await logHead(app));
    if (ready.status !== 200) throw new Error(`read model never caught up: ${ready.status}`);
  });
  afterAll(async () => app?.close());

  const ownSubject = (p: Party): Subject => ({ wallet: p.wallet, transaction: p.transaction, pending: () => pendingCredit(p.wallet), newOwner: { ownerType: 'user', ownerRef: `guest-${hex()}` } });
  /** Another owner's wallet, and the viewer trying to make itself one of its owners. */
  const foreignSubject = (p: Party, viewer: Party): Subject => ({ wallet: p.wallet, transaction: p.transaction, pending: () => pendingCredit(p.wallet), newOwner: viewer.owner });
  /**
   * Reads a stream up to its first event, then hangs up (by then the server waits for new
   * events, as when a client normally leaves); the answer's body is that event's stream.
   */
  const firstEvent = async (path: string, headers: Record<string, string>): Promise<{ status: number; body: unknown }> => {
    const read = await readSse(`${app.baseUrl}${path}`, { headers, stop: (events) => events.length > 0, timeoutMs: 10_000 });
    return { status: read.status, body: read.events[0]?.data.streamId };
  };
  const ghostSubject = (viewer: Party): Subject => ({ wallet: randomUUID(), transaction: randomUUID(), pending: async () => randomUUID(), newOwner: viewer.owner });

  describe('every wallet route: own wallets work, the other owner\'s answer as a wallet that does not exist', () => {
    it.each(WALLET_ROUTES.map((route) => [route.name, route] as const))('%s', async (_name, route) => {
      for (const [viewer, other] of [[alice, bob], [bob, alice]] as const) {
        const moment = { head: (await logHead(app)).toString(), at: new Date().toISOString() };
        const own = await route.probe(ownSubject(viewer), moment);
        const ownAnswer = route.stream ? await firstEvent(own.path, viewer.key.headers) : await send(app.baseUrl, own.method, own.path, viewer.key.headers, own.body);
        const problem = ownAnswer.status >= 400 ? ownAnswer.body?.code : undefined;
        expect({ viewer: viewer.name, status: ownAnswer.status, problem }).toEqual({ viewer: viewer.name, status: route.success, problem: route.refusedWith });
        if (route.stream) expect(ownAnswer.body).toBe(`wallet-${viewer.wallet}`);

        // Everything the refused requests need is made first: from here on the log must not move.
        const refusedMoment = { ...moment, head: (await logHead(app)).toString() };
        const foreign = await route.probe(foreignSubject(other, viewer), refusedMoment);
        const ghost = await route.probe(ghostSubject(viewer), refusedMoment);
        const head = await logHead(app);
        const otherBefore = await walletSeenByAdmin(other.wallet);
        const foreignAnswer = await send(app.baseUrl, foreign.method, foreign.path, viewer.key.headers, foreign.body);
        const ghostAnswer = await send(app.baseUrl, ghost.method, ghost.path, viewer.key.headers, ghost.body);

        expect({ viewer: viewer.name, status: foreignAnswer.status, code: foreignAnswer.body?.code }).toEqual({ viewer: viewer.name, status: 404, code: 'WALLET_NOT_FOUND' });
        expect(shape(foreignAnswer)).toEqual(shape(ghostAnswer));
        expect(idsNotAsked(foreignAnswer, foreign.path, foreign.body)).toEqual([]);
        expect(JSON.stringify(foreignAnswer.body)).not.toContain(other.owner.ownerRef);
        expect(await logHead(app)).toBe(head);
        expect(await walletSeenByAdmin(other.wallet)).toEqual(otherBefore);
      }
    });
  });

  describe('groups', () => {
    it('a transfer or group with any leg on a wallet the owner does not hold is refused like a missing wallet, naming that leg, and records nothing', async () => {
      const head = await logHead(app);
      const [aliceBefore, bobBefore] = [await walletSeenByAdmin(alice.wallet), await walletSeenByAdmin(bob.wallet)];
      const ask = (body: unknown, path = '/v1/transfers') => send(app.baseUrl, 'POST', path, alice.key.headers, body);
      const toBob = await ask({ fromWalletId: alice.wallet, toWalletId: bob.wallet, amount: '5' });
      const toNobody = await ask({ fromWalletId: alice.wallet, toWalletId: randomUUID(), amount: '5' });
      const fromBob = await ask({ fromWalletId: bob.wallet, toWalletId: alice.wallet, amount: '5' });
      const legs = (third: string) => ({
        transactions: [
          { walletId: alice.wallet, type: 'debit', amount: '5' },
          { walletId: alice.second, type: 'credit', amount: '3' },
          { walletId: third, type: 'credit', amount: '2' },
        ],
      });
      const groupWithBob = await ask(legs(bob.wallet), '/v1/transaction-groups');
      const groupWithNobody = await ask(legs(randomUUID()), '/v1/transaction-groups');

      expect([toBob, fromBob, groupWithBob].map((answer) => [answer.status, answer.body.code, answer.body.legIndex])).toEqual([
        [404, 'WALLET_NOT_FOUND', 1],
        [404, 'WALLET_NOT_FOUND', 0],
        [404, 'WALLET_NOT_FOUND', 2],
      ]);
      expect(shape(toBob)).toEqual(shape(toNobody));
      expect(shape(groupWithBob)).toEqual(shape(groupWithNobody));
      expect(await logHead(app)).toBe(head);
      expect([await walletSeenByAdmin(alice.wallet), await walletSeenByAdmin(bob.wallet)]).toEqual([aliceBefore, bobBefore]);
    });

    it('a group that mixes owners, made by the admin, is GROUP_NOT_FOUND to both owners, and the admin can confirm it', async () => {
      const made = await adminPost(
        '/v1/transaction-groups',
        { pending: true, transactions: [{ walletId: alice.wallet, type: 'debit', amount: '10' }, { walletId: bob.wallet, type: 'credit', amount: '10' }] },
        201,
      );
      const groupId: string = made.group.id;
      const nobody = randomUUID();
      for (const viewer of [alice, bob]) {
        const asViewer = (method: string, path: string, body?: unknown) => send(app.baseUrl, method, path, viewer.key.headers, body);
        const seen = await getAfterAs(app, viewer.key.headers, `/v1/transaction-groups/${groupId}`, made.position);
        const missing = await getAfterAs(app, viewer.key.headers, `/v1/transaction-groups/${nobody}`, made.position);
        expect({ viewer: viewer.name, status: seen.status, code: seen.body.code }).toEqual({ viewer: viewer.name, status: 404, code: 'GROUP_NOT_FOUND' });
        expect(shape(seen)).toEqual(shape(missing));
        const head = await logHead(app);
        for (const action of ['confirm', 'reject']) {
          const refused = await asViewer('POST', `/v1/transaction-groups/${groupId}/${action}`);
          const ghost = await asViewer('POST', `/v1/transaction-groups/${nobody}/${action}`);
          expect({ viewer: viewer.name, action, status: refused.status, code: refused.body.code }).toEqual({ viewer: viewer.name, action, status: 404, code: 'GROUP_NOT_FOUND' });
          expect(shape(refused)).toEqual(shape(ghost));
        }
        expect(await logHead(app)).toBe(head);
      }
      const confirmed = await post(app.baseUrl, `/v1/transaction-groups/${groupId}/confirm`);
      expect([confirmed.status, confirmed.body.group.status]).toEqual([200, 'completed']);
    });

    it('a group entirely on wallets the owner holds (the joint one included) works for that owner, and only for it', async () => {
      const ask = (path: string, body?: unknown) => send(app.baseUrl, 'POST', path, alice.key.headers, body);
      const legs = [{ walletId: alice.wallet, type: 'debit', amount: '4' }, { walletId: alice.second, type: 'credit', amount: '1' }, { walletId: joint, type: 'credit', amount: '3' }];
      const toConfirm = await ask('/v1/transaction-groups', { pending: true, transactions: legs });
      const toReject = await ask('/v1/transaction-groups', { pending: true, transactions: legs });
      expect([toConfirm.status, toReject.status]).toEqual([201, 201]);
      const seen = await getAfterAs(app, alice.key.headers, `/v1/transaction-groups/${toConfirm.body.group.id}`, toReject.body.position);
      expect([seen.status, seen.body.transactions?.length]).toEqual([200, 3]);
      // Bob holds the joint wallet but not Alice's: the group is not his to see.
      const bobSees = await getAfterAs(app, bob.key.headers, `/v1/transaction-groups/${toConfirm.body.group.id}`, toReject.body.position);
      expect([bobSees.status, bobSees.body.code]).toEqual([404, 'GROUP_NOT_FOUND']);

      const confirmed = await ask(`/v1/transaction-groups/${toConfirm.body.group.id}/confirm`);
      const rejected = await ask(`/v1/transaction-groups/${toReject.body.group.id}/reject`, { reason: 'changed my mind' });
      const transfer = await ask('/v1/transfers', { fromWalletId: joint, toWalletId: alice.wallet, amount: '2' });
      expect([confirmed.status, confirmed.body.group?.status, rejected.status, rejected.body.group?.status, transfer.status]).toEqual([200, 'completed', 200, 'rejected', 201]);
    });
  });

  describe('searching across wallets', () => {
    /** Every item of a list as this caller sees it, in one page. */
    const everything = async (headers: Record<string, string>, path: string, head: bigint): Promise<any[]> => {
      const page = await getAfterAs(app, headers, `${path}${path.includes('?') ? '&' : '?'}limit=500`, head);
      expect([page.status, page.body.nextCursor]).toEqual([200, null]);
      return page.body.items;
    };

    it("GET /v1/transactions and GET /v1/transaction-groups answer exactly what the key's owner holds, whatever is asked; totals are refused", async () => {
      const head = await logHead(app);
      const allTransactions = await everything(ADMIN, '/v1/transactions', head);
      const allGroups = await everything(ADMIN, '/v1/transaction-groups', head);
      for (const [viewer, other] of [[alice, bob], [bob, alice]] as const) {
        const held = new Set((await everything(viewer.key.headers, '/v1/wallets', head)).map((wallet: { id: string }) => wallet.id));
        const transactions = await everything(viewer.key.headers, '/v1/transactions', head);
        expect(transactions).toEqual(allTransactions.filter((transaction) => held.has(transaction.walletId)));
        expect(transactions.length).toBeGreaterThan(0);
        const groups = await everything(viewer.key.headers, '/v1/transaction-groups', head);
        expect(groups).toEqual(allGroups.filter((group) => group.transactions.every((leg: { walletId: string }) => held.has(leg.walletId))));
        // Asking for the other owner's wallet, alone or as a group's leg, finds nothing, as an unknown wallet does.
        for (const path of [`/v1/transactions?walletId=${other.wallet}`, `/v1/transaction-groups?walletId=${other.wallet}`, `/v1/transactions?walletId=${randomUUID()}`]) {
          expect(await everything(viewer.key.headers, path, head)).toEqual([]);
        }
        const totals = await send(app.baseUrl, 'GET', '/v1/totals?currency=USD', viewer.key.headers);
        expect([totals.status, totals.body.code]).toEqual([403, 'FORBIDDEN']);
      }
      // Groups that mix owners exist, and neither owner sees them.
      expect(allGroups.some((group) => group.transactions.some((leg: { walletId: string }) => leg.walletId === alice.wallet) && group.transactions.some((leg: { walletId: string }) => leg.walletId === bob.wallet))).toBe(true);
    });
  });

  describe('listing and opening wallets', () => {
    /** Ids of every page of a wallet list, as this key sees it. */
    const listed = async (headers: Record<string, string>, query = ''): Promise<string[]> => {
      const ids: string[] = [];
      let cursor: string | null = null;
      const head = await logHead(app);
      do {
        const page: HttpResult = await getAfterAs(app, headers, `/v1/wallets?limit=500${query}${cursor ? `&cursor=${cursor}` : ''}`, head);
        expect(page.status).toBe(200);
        ids.push(...page.body.items.map((wallet: { id: string }) => wallet.id));
        cursor = page.body.nextCursor;
      } while (cursor !== null);
      return ids.sort();
    };
    const ownerQuery = (owner: Owner) => `&ownerType=${owner.ownerType}&ownerRef=${owner.ownerRef}`;

    it("a key lists exactly its owner's wallets; asking for another owner's gives an empty page", async () => {
      const alicesByAdmin = await listed(ADMIN, ownerQuery(alice.owner));
      expect(alicesByAdmin).toEqual(expect.arrayContaining([alice.wallet, alice.second, joint]));
      expect(alicesByAdmin).not.toContain(bob.wallet);
      expect(await listed(alice.key.headers)).toEqual(alicesByAdmin);
      expect(await listed(alice.key.headers, ownerQuery(alice.owner))).toEqual(alicesByAdmin);
      expect(await listed(bob.key.headers)).toEqual(await listed(ADMIN, ownerQuery(bob.owner)));

      const asked = await getAfterAs(app, alice.key.headers, `/v1/wallets?${ownerQuery(bob.owner).slice(1)}`, await logHead(app));
      expect([asked.status, asked.body]).toEqual([200, { items: [], nextCursor: null }]);
    });

    it('both owners of the joint wallet read it and write to it with their own keys', async () => {
      for (const viewer of [alice, bob]) {
        const credited = await send(app.baseUrl, 'POST', `/v1/wallets/${joint}/transactions`, viewer.key.headers, { type: 'debit', amount: '8' });
        expect({ viewer: viewer.name, status: credited.status }).toEqual({ viewer: viewer.name, status: 201 });
        const seen = await getAfterAs(app, viewer.key.headers, `/v1/wallets/${joint}`, credited.body.position);
        expect({ viewer: viewer.name, status: seen.status, balance: seen.body.balance }).toEqual({ viewer: viewer.name, status: 200, balance: credited.body.balance });
      }
    });

    it('a wallet opened with an owner-scoped key always lists that owner among its owners', async () => {
      const carol = { ownerType: 'user', ownerRef: `carol-${hex()}` };
      const plain = await send(app.baseUrl, 'POST', '/v1/wallets', alice.key.headers, { type: 'savings', currency: 'USD' });
      const shared = await send(app.baseUrl, 'POST', '/v1/wallets', alice.key.headers, { type: 'savings', currency: 'USD', owners: [carol] });
      expect([plain.status, shared.status]).toEqual([201, 201]);
      expect(ownersOf(plain.body)).toEqual([alice.owner]);
      expect(ownersOf(shared.body)).toEqual(expect.arrayContaining([alice.owner, carol]));
      expect(shared.body.owners).toHaveLength(2);
      const head = await logHead(app);
      expect((await getAfterAs(app, alice.key.headers, `/v1/wallets/${plain.body.id}`, head)).status).toBe(200);
      expect((await getAfterAs(app, bob.key.headers, `/v1/wallets/${plain.body.id}`, head)).status).toBe(404);
    });

    it("adding Bob as an owner of Alice's wallet with Alice's key makes it Bob's too (a joint account)", async () => {
      const opened = await send(app.baseUrl, 'POST', '/v1/wallets', alice.key.headers, { type: 'household', currency: 'USD' });
      const before = await getAfterAs(app, bob.key.headers, `/v1/wallets/${opened.body.id}`, await logHead(app));
      expect([before.status, before.body.code]).toEqual([404, 'WALLET_NOT_FOUND']);

      const added = await send(app.baseUrl, 'POST', `/v1/wallets/${opened.body.id}/owners`, alice.key.headers, bob.owner);
      expect(added.status).toBe(201);
      const after = await getAfterAs(app, bob.key.headers, `/v1/wallets/${opened.body.id}`, await logHead(app));
      expect(after.status).toBe(200);
      expect(ownersOf(after.body)).toEqual(expect.arrayContaining([alice.owner, bob.owner]));
      const shared = await send(app.baseUrl, 'POST', `/v1/wallets/${opened.body.id}/owners`, bob.key.headers, { ownerType: 'user', ownerRef: `dave-${hex()}` });
      expect(shared.status).toBe(201);
      expect(await listed(bob.key.headers)).toContain(opened.body.id);
    });
  });

  describe('the event feed', () => {
    interface FeedItem {
      position: string;
      streamId: string;
    }

    /** Every event after 0 up to the log's head as this key's feed pages them out. */
    const wholeFeed = async (headers: Record<string, string>, head: bigint, limit: number): Promise<FeedItem[]> => {
      const items: FeedItem[] = [];
      let after = '0';
      for (let pages = 0; BigInt(after) < head; pages += 1) {
        if (pages > 1_000) throw new Error('the feed did not reach the head');
        const page = await send(app.baseUrl, 'GET', `/v1/events?after=${after}&limit=${limit}`, headers);
        expect(page.status).toBe(200);
        items.push(...page.body.items);
        expect(BigInt(page.body.nextAfter)).toBeGreaterThan(BigInt(after));
        after = page.body.nextAfter;
      }
      return items;
    };
    const streamsOf = async (owner: Owner) =>
      new Set(((await getAfter(app, `/v1/wallets?limit=500&ownerType=${owner.ownerType}&ownerRef=${owner.ownerRef}`, await logHead(app))).body.items as { id: string }[]).map((w) => `wallet-${w.id}`));

    /** Activity on every wallet, ending with an event of Alice's, so her feed must cover the whole log. */
    const activity = async (): Promise<bigint> => {
      for (const walletId of [alice.wallet, alice.second, bob.wallet, bob.second, joint]) await adminPost(`/v1/wallets/${walletId}/transactions`, { type: 'credit', amount: '11' }, 201);
      await adminPost('/v1/transfers', { fromWalletId: bob.wallet, toWalletId: alice.second, amount: '6' }, 201);
      await adminPost('/v1/transfers', { fromWalletId: bob.second, toWalletId: bob.wallet, amount: '6' }, 201);
      const last = await send(app.baseUrl, 'POST', `/v1/wallets/${alice.wallet}/transactions`, alice.key.headers, { type: 'debit', amount: '1' });
      expect(last.status).toBe(201);
      const head = await logHead(app);
      expect(head).toBe(BigInt(last.body.position));
      return head;
    };

    it("Alice's feed holds every event of the wallets she holds (the joint one included), and nothing else", async () => {
      const head = await activity();
      const mine = await streamsOf(alice.owner);
      expect([...mine]).toEqual(expect.arrayContaining([`wallet-${alice.wallet}`, `wallet-${alice.second}`, `wallet-${joint}`]));
      const everything = await wholeFeed(ADMIN, head, 500);
      const expected = everything.filter((item) => mine.has(item.streamId));
      // The log holds other owners' wallet events and group events: the filter has work to do.
      expect(everything.some((item) => item.streamId === `wallet-${bob.second}`)).toBe(true);
      expect(everything.some((item) => item.streamId.startsWith('group-'))).toBe(true);

      const seen = await wholeFeed(alice.key.headers, head, 50);
      expect(seen.map((item) => item.position)).toEqual(expected.map((item) => item.position));
      expect(seen).toEqual(expected);
    });

    it("a wallet filter on Bob's wallet answers as for a wallet that does not exist", async () => {
      const refused = await send(app.baseUrl, 'GET', `/v1/events?walletId=${bob.wallet}`, alice.key.headers);
      const missing = await send(app.baseUrl, 'GET', `/v1/events?walletId=${randomUUID()}`, alice.key.headers);
      expect([refused.status, refused.body.code]).toEqual([404, 'WALLET_NOT_FOUND']);
      expect(shape(refused)).toEqual(shape(missing));
      const streamed = await readSse(`${app.baseUrl}/v1/events/stream?walletId=${bob.wallet}`, { headers: alice.key.headers, stop: () => true });
      expect(streamed.status).toBe(404);
    });

    it("the event stream delivers Alice's events only, in order, up to the last one", async () => {
      const head = await activity();
      const mine = await streamsOf(alice.owner);
      const expected = (await wholeFeed(ADMIN, head, 500)).filter((item) => mine.has(item.streamId)).map((item) => item.position);
      const streamed = await readSse(`${app.baseUrl}/v1/events/stream`, { headers: alice.key.headers, stop: (events) => events.length >= expected.length, timeoutMs: 15_000 });
      expect(streamed.status).toBe(200);
      expect(streamed.events.map((event) => event.id)).toEqual(expected);
      expect(streamed.events.every((event) => mine.has(event.data.streamId))).toBe(true);
    });
  });

  describe('many concurrent writers', () => {
    it("50 concurrent credits and debits with Alice's key: her debits all apply, her credits are FORBIDDEN, those on Bob's wallet are all refused and change nothing", async () => {
      const hers = await openFunded([alice.owner], '10000');
      const his = await openFunded([bob.owner], '10000');
      const hisBefore = await walletSeenByAdmin(his);
      const hisEventsBefore = (await send(app.baseUrl, 'GET', `/v1/events?walletId=${his}&limit=500`, ADMIN)).body.items;
      const writes = Array.from({ length: 50 }, (_, i) => ({
        walletId: i % 2 === 0 ? hers : his,
        type: i % 4 < 2 ? 'credit' : 'debit',
        amount: String(10 + i),
      }));
      const answers = await Promise.all(writes.map((w) => send(app.baseUrl, 'POST', `/v1/wallets/${w.walletId}/transactions`, alice.key.headers, { type: w.type, amount: w.amount })));

      const outcomes = writes.map((w, i) => `${w.walletId === hers ? 'hers' : 'his'} ${answers[i]!.status} ${answers[i]!.body.code ?? ''}`.trim());
      expect(outcomes).toEqual(writes.map((w) => (w.walletId !== hers ? 'his 404 WALLET_NOT_FOUND' : w.type === 'debit' ? 'hers 201' : 'hers 403 FORBIDDEN')));
      const herDebits = writes.filter((w) => w.walletId === hers && w.type === 'debit');
      const expectedLedger = (10000n - herDebits.reduce((total, w) => total + BigInt(w.amount), 0n)).toString();
      const herWallet = await walletSeenByAdmin(hers);
      expect(herWallet.balance).toEqual({ ledger: expectedLedger, available: expectedLedger, pendingDebits: '0', pendingCredits: '0' });
      expect(herWallet.version).toBe(2 + herDebits.length);
      expect(await walletSeenByAdmin(his)).toEqual(hisBefore);
      expect((await send(app.baseUrl, 'GET', `/v1/events?walletId=${his}&limit=500`, ADMIN)).body.items).toEqual(hisEventsBefore);
    });
  });
});
