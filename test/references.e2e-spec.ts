import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@wallet/config';
import { createApp } from '../apps/wallet-api/src/create-app';
import { blockAppends } from './support/append-lock';
import { TEST_ADMIN_KEY, type HttpResult, fundedWallet, get, post } from './support/http';
import { READ_SIDE_ENV, getAfter } from './support/read-model';
import { startTestApp, type TestApp } from './support/test-app';
import { eventually } from './support/eventually';

/**
 * References through the API, on each event store: a transaction's reference is unique in its
 * wallet, a group's among all groups, for ever; a reused one is refused with 409
 * REFERENCE_ALREADY_USED naming the holder (`existingId`) before anything else is judged,
 * whatever Idempotency-Key or body the request carries.
 */
describe.each(['postgres', 'kurrentdb'] as const)('references on the %s event store', (eventStore) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ eventStore, env: READ_SIDE_ENV });
  });
  afterAll(async () => app?.close());

  /** A reference no other test of the run uses: the group ones are global. */
  const fresh = (label: string) => `${label}-${randomBytes(6).toString('hex')}`;
  const record = (walletId: string, body: Record<string, unknown>, headers?: Record<string, string>) => post(app.baseUrl, `/v1/wallets/${walletId}/transactions`, body, headers);
  const reused = (answer: HttpResult) => [answer.status, answer.body.code, answer.body.existingId];

  it('a reference names one transaction of a wallet: reuse is refused with its id, another wallet may use it', async () => {
    const [alice, bob] = [await fundedWallet(app.baseUrl, '1000'), await fundedWallet(app.baseUrl, '1000')];
    const invoice = fresh('invoice');
    const first = await record(alice, { type: 'debit', amount: '100', reference: invoice });
    expect([first.status, first.body.transaction.reference]).toEqual([201, invoice]);

    expect(reused(await record(alice, { type: 'debit', amount: '100', reference: invoice }))).toEqual([409, 'REFERENCE_ALREADY_USED', first.body.transaction.id]);
    expect(reused(await record(alice, { type: 'credit', amount: '5', pending: true, reference: invoice }))).toEqual([409, 'REFERENCE_ALREADY_USED', first.body.transaction.id]);
    // Checked before the funds: the answer names the holder, not the missing money.
    expect(reused(await record(alice, { type: 'debit', amount: '999999', reference: invoice }))).toEqual([409, 'REFERENCE_ALREADY_USED', first.body.transaction.id]);

    const otherCase = await record(alice, { type: 'credit', amount: '1', reference: invoice.toUpperCase() });
    expect([otherCase.status, otherCase.body.transaction.reference]).toEqual([201, invoice.toUpperCase()]);
    const elsewhere = await record(bob, { type: 'debit', amount: '100', reference: invoice });
    expect([elsewhere.status, elsewhere.body.transaction.reference]).toEqual([201, invoice]);
    const none = await record(alice, { type: 'credit', amount: '1' });
    expect(none.body.transaction.reference).toBeNull();

    const read = await getAfter(app, `/v1/wallets/${alice}/transactions/${first.body.transaction.id}`, none.body.position);
    expect([read.status, read.body.reference]).toEqual([200, invoice]);
    const balance = await getAfter(app, `/v1/wallets/${alice}`, none.body.position);
    expect(balance.body.balance.ledger).toBe('902');
  });

  it('a hold keeps its reference through its capture, and the reference stays taken after a reject', async () => {
    const walletId = await fundedWallet(app.baseUrl, '1000');
    const reference = fresh('auth');
    const hold = await record(walletId, { type: 'debit', amount: '300', pending: true, reference });
    const captured = await post(app.baseUrl, `/v1/wallets/${walletId}/transactions/${hold.body.transaction.id}/confirm`, { amount: '100' });
    expect([captured.status, captured.body.transaction.reference]).toEqual([200, reference]);

    const other = fresh('auth');
    const rejected = await record(walletId, { type: 'debit', amount: '10', pending: true, reference: other });
    expect((await post(app.baseUrl, `/v1/wallets/${walletId}/transactions/${rejected.body.transaction.id}/reject`)).status).toBe(200);
    expect(reused(await record(walletId, { type: 'debit', amount: '10', reference: other }))).toEqual([409, 'REFERENCE_ALREADY_USED', rejected.body.transaction.id]);
  });

  it("a reversal takes a reference of its own, from the same wallet's references", async () => {
    const walletId = await fundedWallet(app.baseUrl, '1000');
    const order = fresh('order');
    const payment = await record(walletId, { type: 'debit', amount: '300', reference: order });
    const reversePath = `/v1/wallets/${walletId}/transactions/${payment.body.transaction.id}/reverse`;

    const refund = fresh('refund');
    const reversal = await post(app.baseUrl, reversePath, { amount: '100', reference: refund });
    expect([reversal.status, reversal.body.transaction.reference, reversal.body.transaction.reversalOf]).toEqual([201, refund, payment.body.transaction.id]);
    expect(reused(await post(app.baseUrl, reversePath, { amount: '100', reference: refund }))).toEqual([409, 'REFERENCE_ALREADY_USED', reversal.body.transaction.id]);
    expect(reused(await post(app.baseUrl, reversePath, { amount: '100', reference: order }))).toEqual([409, 'REFERENCE_ALREADY_USED', payment.body.transaction.id]);
    // Checked before what is left to reverse.
    expect(reused(await post(app.baseUrl, reversePath, { amount: '5000', reference: refund }))).toEqual([409, 'REFERENCE_ALREADY_USED', reversal.body.transaction.id]);
    expect(reused(await record(walletId, { type: 'credit', amount: '1', reference: refund }))).toEqual([409, 'REFERENCE_ALREADY_USED', reversal.body.transaction.id]);

    const rest = await post(app.baseUrl, reversePath, {});
    expect([rest.status, rest.body.transaction.amount, rest.body.transaction.reference]).toEqual([201, '200', null]);
  });

  it('a group reference is unique among all groups, transfers included; its legs carry none', async () => {
    const [alice, bob, carol] = [await fundedWallet(app.baseUrl, '1000'), await fundedWallet(app.baseUrl, '1000'), await fundedWallet(app.baseUrl, '1000')];
    const batch = fresh('batch');
    const group = await post(app.baseUrl, '/v1/transaction-groups', {
      reference: batch,
      transactions: [{ walletId: alice, type: 'debit', amount: '10' }, { walletId: bob, type: 'credit', amount: '10' }],
    });
    expect([group.status, group.body.group.reference, group.body.group.transactions.map((leg: { reference: unknown }) => leg.reference)]).toEqual([201, batch, [null, null]]);
    const groupId = group.body.group.id;

    const sameWallets = await post(app.baseUrl, '/v1/transaction-groups', {
      reference: batch,
      transactions: [{ walletId: alice, type: 'debit', amount: '10' }, { walletId: bob, type: 'credit', amount: '10' }],
    });
    expect(reused(sameWallets)).toEqual([409, 'REFERENCE_ALREADY_USED', groupId]);
    expect(reused(await post(app.baseUrl, '/v1/transfers', { fromWalletId: carol, toWalletId: bob, amount: '1', reference: batch }))).toEqual([409, 'REFERENCE_ALREADY_USED', groupId]);
    // Before the funds, and whether pending or not.
    expect(reused(await post(app.baseUrl, '/v1/transfers', { fromWalletId: carol, toWalletId: bob, amount: '999999', pending: true, reference: batch }))).toEqual([409, 'REFERENCE_ALREADY_USED', groupId]);

    // Transaction references are the wallet's own: a group's reference does not take them.
    const sameText = await record(alice, { type: 'debit', amount: '1', reference: batch });
    expect([sameText.status, sameText.body.transaction.reference]).toEqual([201, batch]);

    const transferReference = fresh('payout');
    const transfer = await post(app.baseUrl, '/v1/transfers', { fromWalletId: carol, toWalletId: alice, amount: '5', reference: transferReference });
    expect([transfer.status, transfer.body.group.reference]).toEqual([201, transferReference]);
    expect(reused(await post(app.baseUrl, '/v1/transaction-groups', {
      reference: transferReference,
      transactions: [{ walletId: bob, type: 'debit', amount: '1' }, { walletId: carol, type: 'credit', amount: '1' }],
    }))).toEqual([409, 'REFERENCE_ALREADY_USED', transfer.body.group.id]);

    const read = await getAfter(app, `/v1/transaction-groups/${groupId}`, transfer.body.position);
    expect([read.status, read.body.reference, read.body.transactions.map((leg: { reference: unknown }) => leg.reference)]).toEqual([200, batch, [null, null]]);
    const balances = await Promise.all([alice, bob, carol].map((id) => getAfter(app, `/v1/wallets/${id}`, transfer.body.position)));
    expect(balances.map((wallet) => wallet.body.balance.ledger)).toEqual(['994', '1010', '995']);
  });

  it("a group reversal's reference is its own group's, unique among all groups", async () => {
    const [alice, bob] = [await fundedWallet(app.baseUrl, '1000'), await fundedWallet(app.baseUrl, '1000')];
    const original = fresh('sale');
    const [first, second] = [
      await post(app.baseUrl, '/v1/transfers', { fromWalletId: alice, toWalletId: bob, amount: '10', reference: original }),
      await post(app.baseUrl, '/v1/transfers', { fromWalletId: alice, toWalletId: bob, amount: '20' }),
    ];
    const chargeback = fresh('chargeback');
    const reversal = await post(app.baseUrl, `/v1/transaction-groups/${first.body.group.id}/reverse`, { reason: 'disputed', reference: chargeback });
    expect([reversal.status, reversal.body.group.reference, reversal.body.group.reversalOf]).toEqual([201, chargeback, first.body.group.id]);

    const secondPath = `/v1/transaction-groups/${second.body.group.id}/reverse`;
    expect(reused(await post(app.baseUrl, secondPath, { reference: chargeback }))).toEqual([409, 'REFERENCE_ALREADY_USED', reversal.body.group.id]);
    expect(reused(await post(app.baseUrl, secondPath, { reference: original }))).toEqual([409, 'REFERENCE_ALREADY_USED', first.body.group.id]);
    // The refused reversals changed nothing: the group can still be reversed, without a reference.
    const reversedLater = await post(app.baseUrl, secondPath);
    expect([reversedLater.status, reversedLater.body.group.reference]).toEqual([201, null]);
  });

  it('a reference outlives the Idempotency-Key: a new key, a new body or an expired key all meet the 409', async () => {
    const walletId = await fundedWallet(app.baseUrl, '1000');
    const payee = await fundedWallet(app.baseUrl, '0');
    const key = `key-${randomBytes(6).toString('hex')}`;
    const reference = fresh('card-capture');
    const body = { type: 'debit', amount: '100', reference };
    const first = await record(walletId, body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    const replayed = await record(walletId, body, { 'idempotency-key': key });
    expect([replayed.status, replayed.headers.get('idempotency-replayed'), replayed.body.transaction.id]).toEqual([201, 'true', first.body.transaction.id]);

    expect(reused(await record(walletId, body, { 'idempotency-key': `${key}-other` }))).toEqual([409, 'REFERENCE_ALREADY_USED', first.body.transaction.id]);
    expect(reused(await record(walletId, { ...body, amount: '7' }))).toEqual([409, 'REFERENCE_ALREADY_USED', first.body.transaction.id]);

    const groupKey = `group-${key}`;
    const groupReference = fresh('settlement');
    const transferBody = { fromWalletId: walletId, toWalletId: payee, amount: '50', reference: groupReference };
    const transfer = await post(app.baseUrl, '/v1/transfers', transferBody, { 'idempotency-key': groupKey });
    expect(transfer.status).toBe(201);

    // Past the idempotency window the key is forgotten: the same request is a new one, which the reference refuses.
    await app.database.pool.query(`update event_store.idempotency_keys set expires_at = now() - interval '1 second' where key in ($1, $2)`, [key, groupKey]);
    expect(reused(await record(walletId, body, { 'idempotency-key': key }))).toEqual([409, 'REFERENCE_ALREADY_USED', first.body.transaction.id]);
    expect(reused(await post(app.baseUrl, '/v1/transfers', transferBody, { 'idempotency-key': groupKey }))).toEqual([409, 'REFERENCE_ALREADY_USED', transfer.body.group.id]);

    const wallets = await Promise.all([walletId, payee].map((id) => getAfter(app, `/v1/wallets/${id}`, transfer.body.position)));
    expect(wallets.map((wallet) => wallet.body.balance.ledger)).toEqual(['850', '50']);
  });

  it('transfers racing for one reference: one is recorded, every other names it', async () => {
    const wallets = await Promise.all(Array.from({ length: 6 }, () => fundedWallet(app.baseUrl, '100')));
    const reference = fresh('race');
    const answers = await Promise.all(
      wallets.map((from, index) => post(app.baseUrl, '/v1/transfers', { fromWalletId: from, toWalletId: wallets[(index + 1) % wallets.length], amount: '1', reference })),
    );
    const winners = answers.filter((answer) => answer.status === 201);
    expect(winners).toHaveLength(1);
    const winnerId = winners[0]!.body.group.id;
    expect(answers.filter((answer) => answer.status !== 201).map(reused)).toEqual(Array.from({ length: wallets.length - 1 }, () => [409, 'REFERENCE_ALREADY_USED', winnerId]));
  });

  it('takes any printable ASCII as a group reference, up to 255 characters, as its stream name does', async () => {
    const [alice, bob] = [await fundedWallet(app.baseUrl, '10'), await fundedWallet(app.baseUrl, '0')];
    const odd = `~ a/b\\c?d#e%f"g'h:${randomBytes(4).toString('hex')}`;
    const reference = `${odd}${'r'.repeat(255 - odd.length)}`;
    const transfer = await post(app.baseUrl, '/v1/transfers', { fromWalletId: alice, toWalletId: bob, amount: '1', reference });
    expect([transfer.status, transfer.body.group.reference]).toEqual([201, reference]);
    expect(reused(await post(app.baseUrl, '/v1/transfers', { fromWalletId: alice, toWalletId: bob, amount: '1', reference }))).toEqual([409, 'REFERENCE_ALREADY_USED', transfer.body.group.id]);
    // A reference that only starts like a taken one, or differs in case, is another reference.
    const shorter = await post(app.baseUrl, '/v1/transfers', { fromWalletId: alice, toWalletId: bob, amount: '1', reference: reference.slice(0, 254) });
    expect(shorter.status).toBe(201);
    const upper = await post(app.baseUrl, '/v1/transfers', { fromWalletId: alice, toWalletId: bob, amount: '1', reference: reference.toUpperCase() });
    expect([upper.status, upper.body.group.reference]).toEqual([201, reference.toUpperCase()]);
  });

  it('the feed carries the reservation of a group reference, and its types filter takes it', async () => {
    const [alice, bob] = [await fundedWallet(app.baseUrl, '10'), await fundedWallet(app.baseUrl, '0')];
    const reference = fresh('feed');
    // Positions are not consecutive on every store: the feed is read from a command's position before the transfer.
    const before = await record(bob, { type: 'credit', amount: '1' });
    const transfer = await post(app.baseUrl, '/v1/transfers', { fromWalletId: alice, toWalletId: bob, amount: '1', reference });
    expect(transfer.status).toBe(201);
    type Item = { streamId: string; type: string; schemaVersion: number; data: unknown };
    const inFeed = (items: Item[] | undefined) => items?.find((item) => item.streamId === `reference-group-${reference}`);
    const feed = await eventually(() => get(app.baseUrl, `/v1/events?types=GroupReferenceReserved&after=${before.body.position}`), (read) => inFeed(read.body.items) !== undefined);
    expect(feed.status).toBe(200);
    const reservation = inFeed(feed.body.items);
    expect(reservation).toMatchObject({ type: 'GroupReferenceReserved', schemaVersion: 1, data: { reference, groupId: transfer.body.group.id } });
  });

  it('refuses a reference that is empty, too long or not printable ASCII', async () => {
    const walletId = await fundedWallet(app.baseUrl, '10');
    for (const reference of ['', 'r'.repeat(256), 'caf\u00e9', 'tab\there', 42]) {
      const answer = await record(walletId, { type: 'credit', amount: '1', reference });
      expect([reference, answer.status, answer.body.code]).toEqual([reference, 400, 'VALIDATION_FAILED']);
    }
    const longest = await record(walletId, { type: 'credit', amount: '1', reference: `~ ${'r'.repeat(253)}` });
    expect([longest.status, longest.body.transaction.reference.length]).toEqual([201, 255]);
  });
});

/**
 * Two processes cannot see each other's held keys: only the append at `no_stream` on the
 * reference's stream keeps a group reference unique. With appends held back, both decide on
 * a free reference; the loser's append conflicts, and its retry must read the reference
 * stream again to answer 409 with the winner's id (deciding on what it read first would
 * conflict on every retry and end in 503 WRITE_CONTENTION).
 */
describe('two API processes racing for one group reference', () => {
  let app: TestApp;
  let second: NestFastifyApplication;
  let secondUrl: string;

  beforeAll(async () => {
    app = await startTestApp({ eventStore: 'postgres', env: READ_SIDE_ENV });
    const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: app.database.url, ADMIN_API_KEY: TEST_ADMIN_KEY });
    second = await createApp({ config, databaseUrl: app.database.url });
    await second.listen({ port: 0, host: '127.0.0.1' });
    secondUrl = (await second.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    await second?.close();
    await app?.close();
  });

  /** Appends waiting for the append lock in this test's database. */
  const waitingAppends = async (): Promise<number> => {
    const { rows } = await app.database.pool.query<{ waiting: string }>(
      `select count(*) as waiting from pg_locks where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database())`,
    );
    return Number(rows[0]!.waiting);
  };

  it('the append that loses conflicts, and its retry answers 409 with the winner', async () => {
    const [alice, bob, carol, dave] = await Promise.all([1, 2, 3, 4].map(() => fundedWallet(app.baseUrl, '100')));
    const reference = `race-${randomBytes(6).toString('hex')}`;
    const unblock = await blockAppends(app.database.url);
    const answers = Promise.all([
      post(app.baseUrl, '/v1/transfers', { fromWalletId: alice, toWalletId: bob, amount: '1', reference }),
      post(secondUrl, '/v1/transfers', { fromWalletId: carol, toWalletId: dave, amount: '2', reference }),
    ]);
    try {
      const deadline = Date.now() + 10_000;
      while ((await waitingAppends()) < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await waitingAppends()).toBe(2);
    } finally {
      await unblock();
    }
    const [first, other] = await answers;
    const winner = [first, other].find((answer) => answer.status === 201)!;
    const loser = [first, other].find((answer) => answer !== winner)!;
    expect([winner.status, winner.body.group.reference]).toEqual([201, reference]);
    expect(reused(loser)).toEqual([409, 'REFERENCE_ALREADY_USED', winner.body.group.id]);
  });

  const reused = (answer: HttpResult) => [answer.status, answer.body.code, answer.body.existingId];
});
