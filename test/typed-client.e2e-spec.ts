import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from '../apps/console/src/api/openapi';
import { assertDocumented, fetchedHeader } from './support/contract';
import { TEST_ADMIN_KEY, bearer } from './support/http';
import { openApiDocumentOffline } from './support/openapi-document';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Every /v1 operation (and the operational ones) called as a user of the contract calls
 * them: through openapi-fetch with the types openapi-typescript generates from the OpenAPI
 * document (npm run openapi:types). The file type-checks only while the document describes
 * what the walk sends and reads, and every answer is checked against the document too.
 */

/** Snapshots after every second event of a wallet, and queries that wait for the read model. */
const ENV = { PROJECTOR_POLL_MS: '20', READ_MODEL_WAIT_MS: '10000', SNAPSHOT_EVERY: '2', WEBHOOK_ALLOW_PRIVATE_URLS: 'true' };

/** True when `T` is exactly `Expected`: an answer typed any, never or unknown is not. */
type Exactly<T, Expected> = (<V>() => V extends T ? 1 : 2) extends <V>() => V extends Expected ? 1 : 2 ? true : false;
/** Compiles only with `true`: a check of the generated types, at type-check time. */
const typed = <_Check extends true>(): void => undefined;

/** The answer's data, or a failure that names the status and the problem. */
function ok<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) throw new Error(`${result.response.status} ${JSON.stringify(result.error)}`);
  return result.data;
}

describe('a client generated from the OpenAPI document', () => {
  let app: TestApp;
  let client: ReturnType<typeof createClient<paths>>;
  /** `METHOD /template` of every operation the walk called, as openapi-fetch names it. */
  const walked = new Set<string>();

  // What the walk builds on as it goes.
  let walletId = '';
  let payeeId = '';
  let position = '';
  let creditPosition = '';

  /** Records the operation and checks the answer against the document, as every helper does. */
  const contract: Middleware = {
    async onResponse({ request, response, schemaPath }) {
      walked.add(`${request.method} ${schemaPath}`);
      const url = new URL(request.url);
      const streaming = (response.headers.get('content-type') ?? '').startsWith('text/event-stream');
      const text = streaming ? undefined : await response.clone().text();
      await assertDocumented(url.origin, { method: request.method, target: `${url.pathname}${url.search}`, status: response.status, header: fetchedHeader(response.headers), text });
      return undefined;
    },
  };

  beforeAll(async () => {
    app = await startTestApp({ env: ENV });
    client = createClient<paths>({ baseUrl: app.baseUrl, headers: bearer(TEST_ADMIN_KEY) });
    client.use(contract);
  });
  afterAll(async () => app?.close());

  it('health: live and ready', async () => {
    expect(ok(await client.GET('/health/live')).status).toBe('ok');
    const ready = ok(await client.GET('/health/ready'));
    expect(ready.checks.database).toBe('up');
    expect(BigInt(ready.checks.projector.lagEvents)).toBeGreaterThanOrEqual(0n);
  });

  it('API keys: make, list, revoke', async () => {
    const made = ok(await client.POST('/v1/api-keys', { body: { name: 'typed walk', scopes: ['wallets:read'] } }));
    expect(made.secret).toMatch(/^wsk_/);
    expect([made.key.name, made.key.status, made.key.scopes]).toEqual(['typed walk', 'active', ['wallets:read']]);
    const listed = ok(await client.GET('/v1/api-keys', { params: { query: { limit: 500 } } }));
    expect(listed.items.map((key) => key.id)).toContain(made.key.id);
    const revoked = ok(await client.POST('/v1/api-keys/{keyId}/revoke', { params: { path: { keyId: made.key.id } } }));
    expect([revoked.id, revoked.status]).toEqual([made.key.id, 'revoked']);
    expect(revoked.revokedAt).not.toBeNull();
  });

  it('wallets: open two, add an owner', async () => {
    const opened = ok(await client.POST('/v1/wallets', { body: { type: 'main', currency: 'USD', owners: [{ ownerType: 'user', ownerRef: 'walker' }], metadata: { tier: 'gold' } } }));
    expect([opened.currency, opened.version, opened.metadata, opened.balance.available]).toEqual(['USD', 1, { tier: 'gold' }, '0']);
    walletId = opened.id;
    payeeId = ok(await client.POST('/v1/wallets', { body: { type: 'payee', currency: 'USD' } })).id;
    const owned = ok(await client.POST('/v1/wallets/{walletId}/owners', { params: { path: { walletId } }, body: { ownerType: 'shop', ownerRef: 's-1' } }));
    expect(owned.owners.map((owner) => owner.ownerRef)).toEqual(['walker', 's-1']);
    const limited = ok(await client.POST('/v1/wallets/{walletId}/overdraft-limit', { params: { path: { walletId } }, body: { overdraftLimit: '500' } }));
    expect([limited.overdraftLimit, limited.version]).toEqual(['500', 3]);
    typed<Exactly<typeof limited.overdraftLimit, string>>();
  });

  it('transactions: credit, debit, a hold confirmed and a hold rejected', async () => {
    const path = { walletId };
    const credit = ok(await client.POST('/v1/wallets/{walletId}/transactions', { params: { path }, body: { type: 'credit', amount: '1000', description: 'salary', reference: 'payroll-2026-12' } }));
    expect([credit.transaction.amount, credit.transaction.status, credit.balance.ledger, credit.transaction.reference]).toEqual(['1000', 'confirmed', '1000', 'payroll-2026-12']);
    typed<Exactly<typeof credit.transaction.reference, string | null>>();
    creditPosition = credit.position;
    typed<Exactly<typeof credit.transaction.amount, string>>();
    typed<Exactly<typeof credit.transaction.status, 'pending' | 'confirmed' | 'rejected'>>();
    typed<Exactly<typeof credit.balance.ledger, string>>();
    const debit = ok(await client.POST('/v1/wallets/{walletId}/transactions', { params: { path }, body: { type: 'debit', amount: '250' } }));
    expect(debit.balance.available).toBe('750');

    const hold = ok(await client.POST('/v1/wallets/{walletId}/transactions', { params: { path }, body: { type: 'debit', amount: '100', pending: true } }));
    expect([hold.transaction.status, hold.balance.available, hold.balance.pendingDebits]).toEqual(['pending', '650', '100']);
    const holdPath = { walletId, transactionId: hold.transaction.id };
    const confirmed = ok(await client.POST('/v1/wallets/{walletId}/transactions/{transactionId}/confirm', { params: { path: holdPath } }));
    expect([confirmed.transaction.status, confirmed.balance.ledger, confirmed.balance.pendingDebits]).toEqual(['confirmed', '650', '0']);

    const second = ok(await client.POST('/v1/wallets/{walletId}/transactions', { params: { path }, body: { type: 'debit', amount: '50', pending: true } }));
    const rejected = ok(
      await client.POST('/v1/wallets/{walletId}/transactions/{transactionId}/reject', { params: { path: { walletId, transactionId: second.transaction.id } }, body: { reason: 'changed mind' } }),
    );
    expect([rejected.transaction.status, rejected.transaction.rejectReason, rejected.balance.available]).toEqual(['rejected', 'changed mind', '650']);
    position = rejected.position;
  });

  it('queries: the wallet, wallets by owner, the history, one transaction', async () => {
    const minPosition = position;
    const wallet = ok(await client.GET('/v1/wallets/{walletId}', { params: { path: { walletId }, query: { minPosition } } }));
    expect(wallet.balance).toEqual({ ledger: '650', available: '650', pendingDebits: '0', pendingCredits: '0' });
    const owned = ok(await client.GET('/v1/wallets', { params: { query: { ownerType: 'user', ownerRef: 'walker', minPosition } } }));
    expect(owned.items.map((item) => item.id)).toEqual([walletId]);
    const history = ok(await client.GET('/v1/wallets/{walletId}/transactions', { params: { path: { walletId }, query: { minPosition, order: 'asc' } } }));
    expect(history.items.map((item) => [item.type, item.amount, item.status])).toEqual([
      ['credit', '1000', 'confirmed'],
      ['debit', '250', 'confirmed'],
      ['debit', '100', 'confirmed'],
      ['debit', '50', 'rejected'],
    ]);
    const first = history.items[0]!;
    const one = ok(await client.GET('/v1/wallets/{walletId}/transactions/{transactionId}', { params: { path: { walletId, transactionId: first.id }, query: { minPosition } } }));
    expect([one.id, one.amount, one.description]).toEqual([first.id, '1000', 'salary']);
  });

  it('balance at a position and at a time; snapshots agree with it', async () => {
    const afterCredit = ok(await client.GET('/v1/wallets/{walletId}/balance', { params: { path: { walletId }, query: { atPosition: creditPosition, minPosition: position } } }));
    expect([afterCredit.ledger, afterCredit.position]).toEqual(['1000', creditPosition]);
    const now = ok(await client.GET('/v1/wallets/{walletId}/balance', { params: { path: { walletId }, query: { at: new Date().toISOString(), minPosition: position } } }));
    expect([now.ledger, now.available]).toEqual(['650', '650']);

    const snapshots = ok(await client.GET('/v1/wallets/{walletId}/snapshots', { params: { path: { walletId }, query: { minPosition: position } } }));
    expect(snapshots.items.length).toBeGreaterThan(0);
    for (const snapshot of snapshots.items) {
      expect(snapshot.walletId).toBe(walletId);
      const then = ok(await client.GET('/v1/wallets/{walletId}/balance', { params: { path: { walletId }, query: { atPosition: snapshot.position } } }));
      expect([snapshot.ledger, snapshot.pendingDebits, snapshot.pendingCredits]).toEqual([then.ledger, then.pendingDebits, then.pendingCredits]);
    }
  });

  it('groups: one confirmed, one rejected, read back; a transfer', async () => {
    const legs = (amount: string) => [
      { walletId, type: 'debit' as const, amount },
      { walletId: payeeId, type: 'credit' as const, amount },
    ];
    const pending = ok(await client.POST('/v1/transaction-groups', { body: { pending: true, description: 'rent', transactions: legs('10') } }));
    expect([pending.group.status, pending.group.transactions.map((leg) => leg.status)]).toEqual(['pending', ['pending', 'pending']]);
    const confirmed = ok(await client.POST('/v1/transaction-groups/{groupId}/confirm', { params: { path: { groupId: pending.group.id } } }));
    expect(confirmed.group.status).toBe('completed');

    const other = ok(await client.POST('/v1/transaction-groups', { body: { pending: true, transactions: legs('20') } }));
    const rejected = ok(await client.POST('/v1/transaction-groups/{groupId}/reject', { params: { path: { groupId: other.group.id } }, body: { reason: 'void' } }));
    expect(rejected.group.transactions.map((leg) => [leg.status, leg.rejectReason])).toEqual([
      ['rejected', 'void'],
      ['rejected', 'void'],
    ]);

    const transfer = ok(await client.POST('/v1/transfers', { body: { fromWalletId: walletId, toWalletId: payeeId, amount: '5' } }));
    expect(transfer.group.transactions.map((leg) => [leg.walletId, leg.type, leg.amount])).toEqual([
      [walletId, 'debit', '5'],
      [payeeId, 'credit', '5'],
    ]);
    position = transfer.position;

    const read = ok(await client.GET('/v1/transaction-groups/{groupId}', { params: { path: { groupId: pending.group.id }, query: { minPosition: position } } }));
    expect([read.status, read.description, read.transactions.map((leg) => leg.amount)]).toEqual(['completed', 'rent', ['10', '10']]);
    const payee = ok(await client.GET('/v1/wallets/{walletId}', { params: { path: { walletId: payeeId }, query: { minPosition: position } } }));
    expect(payee.balance.ledger).toBe('15');
  });

  it('the event feed: a page and the stream', async () => {
    // The feed serves events below the server's visibility horizon, which another test
    // database's open transaction can hold back a moment: read until it has the transfer.
    const deadline = Date.now() + 10_000;
    let page = ok(await client.GET('/v1/events', { params: { query: { walletId: payeeId, limit: 50 } } }));
    while (page.nextAfter !== position && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      page = ok(await client.GET('/v1/events', { params: { query: { walletId: payeeId, limit: 50 } } }));
    }
    // The payee's legs: a pending group confirmed, one rejected, then the transfer.
    expect(page.items.map((item) => item.type)).toEqual(['WalletOpened', 'HoldPlaced', 'HoldConfirmed', 'HoldPlaced', 'HoldRejected', 'FundsCredited']);
    expect(page.nextAfter).toBe(position);

    const stream = ok(await client.GET('/v1/events/stream', { params: { query: { walletId: payeeId } }, parseAs: 'stream' }));
    // Read up to the first event (a `: connected` comment comes first), then hang up.
    const reader = stream!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!/^data: .*\n\n/m.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    await reader.cancel();
    expect(text).toContain(`id: ${page.items[0]!.position}\n`);
    expect(text).toContain('"type":"WalletOpened"');
  });

  it('the payment lifecycle: capture part, increase, capture the rest finally, reverse part; reverse a group', async () => {
    const hold = ok(await client.POST('/v1/wallets/{walletId}/transactions', { params: { path: { walletId } }, body: { type: 'debit', amount: '100', pending: true } }));
    const holdPath = { walletId, transactionId: hold.transaction.id };
    const part = ok(await client.POST('/v1/wallets/{walletId}/transactions/{transactionId}/confirm', { params: { path: holdPath }, body: { amount: '30', final: false } }));
    expect([part.transaction.status, part.transaction.heldAmount, part.transaction.capturedAmount]).toEqual(['pending', '70', '30']);
    typed<Exactly<typeof part.transaction.heldAmount, string>>();
    const increased = ok(await client.POST('/v1/wallets/{walletId}/transactions/{transactionId}/increase', { params: { path: holdPath }, body: { amount: '20' } }));
    expect([increased.transaction.amount, increased.transaction.heldAmount, increased.balance.pendingDebits]).toEqual(['120', '90', '90']);
    const last = ok(await client.POST('/v1/wallets/{walletId}/transactions/{transactionId}/confirm', { params: { path: holdPath }, body: { amount: '40' } }));
    expect([last.transaction.status, last.transaction.capturedAmount, last.transaction.releasedAmount, last.balance.pendingDebits]).toEqual(['confirmed', '70', '50', '0']);

    const reversal = ok(await client.POST('/v1/wallets/{walletId}/transactions/{transactionId}/reverse', { params: { path: holdPath }, body: { amount: '20', reason: 'refund' } }));
    expect([reversal.transaction.type, reversal.transaction.amount, reversal.transaction.reversalOf, reversal.transaction.description]).toEqual(['credit', '20', hold.transaction.id, 'refund']);
    typed<Exactly<typeof reversal.transaction.reversalOf, string | null>>();

    const transfer = ok(await client.POST('/v1/transfers', { body: { fromWalletId: walletId, toWalletId: payeeId, amount: '5', reference: 'typed-transfer' } }));
    expect(transfer.group.reference).toBe('typed-transfer');
    typed<Exactly<typeof transfer.group.reference, string | null>>();
    const reversed = ok(await client.POST('/v1/transaction-groups/{groupId}/reverse', { params: { path: { groupId: transfer.group.id } }, body: { reason: 'chargeback', reference: 'typed-chargeback' } }));
    expect(reversed.group.reference).toBe('typed-chargeback');
    expect([reversed.group.reversalOf, reversed.group.status, reversed.group.transactions.map((leg) => [leg.walletId, leg.type, leg.amount])]).toEqual([
      transfer.group.id,
      'completed',
      [
        [walletId, 'credit', '5'],
        [payeeId, 'debit', '5'],
      ],
    ]);
    typed<Exactly<typeof reversed.group.reversedBy, string | null>>();
  });

  it('search: transactions across wallets by reference and metadata, groups by reference, totals', async () => {
    const tagged = ok(
      await client.POST('/v1/wallets/{walletId}/transactions', { params: { path: { walletId: payeeId } }, body: { type: 'credit', amount: '7', reference: 'typed-search', metadata: { campaign: 'spring', round: 2 } } }),
    );
    const minPosition = tagged.position;
    const found = ok(await client.GET('/v1/transactions', { params: { query: { reference: 'typed-search', minPosition } } }));
    expect(found.items.map((item) => [item.id, item.reference])).toEqual([[tagged.transaction.id, 'typed-search']]);
    // openapi-fetch writes the deepObject parameter as metadata[campaign]=spring&metadata[round]=2.
    const byMetadata = ok(await client.GET('/v1/wallets/{walletId}/transactions', { params: { path: { walletId: payeeId }, query: { metadata: { campaign: 'spring', round: '2' }, minPosition } } }));
    expect(byMetadata.items.map((item) => item.id)).toEqual([tagged.transaction.id]);

    const groups = ok(await client.GET('/v1/transaction-groups', { params: { query: { reference: 'typed-transfer', minPosition } } }));
    expect(groups.items.map((group) => [group.reference, group.transactions.length])).toEqual([['typed-transfer', 2]]);

    const totals = ok(await client.GET('/v1/totals', { params: { query: { currency: 'USD', minPosition } } }));
    const wallets = ok(await client.GET('/v1/wallets', { params: { query: { minPosition } } })).items.filter((wallet) => wallet.currency === 'USD');
    expect([totals.wallets, totals.ledger]).toEqual([String(wallets.length), wallets.reduce((sum, wallet) => sum + BigInt(wallet.balance.ledger), 0n).toString()]);
    typed<Exactly<typeof totals.ledger, string>>();
  });

  it('webhook endpoints: create, list, get, disable, enable, replay, rotate the secret, deliveries', async () => {
    // Nothing listens there, and delivery would start only past a position the walk never reaches.
    const body = { url: 'http://127.0.0.1:9/hooks', types: ['FundsCredited'], description: 'typed walk', after: '9000000000000000000' };
    const made = ok(await client.POST('/v1/webhook-endpoints', { body }));
    expect([made.status, made.after, made.types]).toEqual(['enabled', body.after, ['FundsCredited']]);
    expect(made.secret).toMatch(/^whsec_/);
    const path = { endpointId: made.id };
    const listed = ok(await client.GET('/v1/webhook-endpoints', { params: { query: { limit: 500 } } }));
    expect(listed.items.map((endpoint) => endpoint.id)).toContain(made.id);
    const view = ok(await client.GET('/v1/webhook-endpoints/{endpointId}', { params: { path } }));
    expect([view.deliveredThrough, view.lagEvents, view.lastError]).toEqual([body.after, '0', null]);
    typed<Exactly<typeof view.lagEvents, string>>();
    expect(ok(await client.POST('/v1/webhook-endpoints/{endpointId}/disable', { params: { path } })).status).toBe('disabled');
    expect(ok(await client.POST('/v1/webhook-endpoints/{endpointId}/enable', { params: { path } })).status).toBe('enabled');
    expect(ok(await client.POST('/v1/webhook-endpoints/{endpointId}/replay', { params: { path }, body: { after: body.after } })).deliveredThrough).toBe(body.after);
    const rotated = ok(await client.POST('/v1/webhook-endpoints/{endpointId}/rotate-secret', { params: { path } }));
    expect(rotated.secret).not.toBe(made.secret);
    const deliveries = ok(await client.GET('/v1/webhook-endpoints/{endpointId}/deliveries', { params: { path, query: { limit: 10 } } }));
    expect(deliveries).toEqual({ items: [], nextCursor: null });
    ok(await client.POST('/v1/webhook-endpoints/{endpointId}/disable', { params: { path } }));
  });

  it('metrics', async () => {
    const metrics = ok(await client.GET('/metrics', { parseAs: 'text' }));
    expect(metrics).toContain('# TYPE http_request_duration_seconds histogram');
  });

  it('walked every operation of the document', async () => {
    const document = await openApiDocumentOffline(ENV);
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((method) => method !== 'parameters')
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect([...walked].sort()).toEqual(operations.sort());
    expect(walked.size).toBe(39);
  });
});
