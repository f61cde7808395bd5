import { get, post } from './support/http';
import { startTestApp, type TestApp } from './support/test-app';

describe('wallet commands over HTTP', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app.close());

  it('opens a wallet, credits, holds, confirms and refuses an overdraft', async () => {
    const opened = await post(app.baseUrl, '/v1/wallets', { type: 'main', currency: 'USD', owners: [{ ownerType: 'user', ownerRef: 'u-1' }], metadata: { plan: 'gold' } });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ type: 'main', currency: 'USD', version: 1, metadata: { plan: 'gold' }, balance: { ledger: '0', available: '0', pendingDebits: '0', pendingCredits: '0' } });
    expect(opened.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    const id = opened.body.id as string;

    const credit = await post(app.baseUrl, `/v1/wallets/${id}/transactions`, { type: 'credit', amount: '1000', description: 'top-up' });
    expect(credit.status).toBe(201);
    expect(credit.body.balance).toEqual({ ledger: '1000', available: '1000', pendingDebits: '0', pendingCredits: '0' });
    expect(credit.body.transaction).toMatchObject({ type: 'credit', amount: '1000', status: 'confirmed', description: 'top-up', archived: false });
    expect(credit.body.position).toMatch(/^[1-9][0-9]*$/);

    const hold = await post(app.baseUrl, `/v1/wallets/${id}/transactions`, { type: 'debit', amount: '300', pending: true });
    expect(hold.status).toBe(201);
    expect(hold.body.transaction).toMatchObject({ status: 'pending', holdTimestamp: expect.any(String) });
    expect(hold.body.balance).toEqual({ ledger: '1000', available: '700', pendingDebits: '300', pendingCredits: '0' });

    const confirmed = await post(app.baseUrl, `/v1/wallets/${id}/transactions/${hold.body.transaction.id}/confirm`);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.transaction).toMatchObject({ status: 'confirmed', confirmRejectTimestamp: expect.any(String) });
    expect(confirmed.body.balance).toEqual({ ledger: '700', available: '700', pendingDebits: '0', pendingCredits: '0' });
    expect(BigInt(confirmed.body.position)).toBeGreaterThan(BigInt(hold.body.position));

    const overdraft = await post(app.baseUrl, `/v1/wallets/${id}/transactions`, { type: 'debit', amount: '701' });
    expect(overdraft.status).toBe(422);
    expect(overdraft.headers.get('content-type')).toContain('application/problem+json');
    expect(overdraft.body).toMatchObject({ code: 'INSUFFICIENT_FUNDS', status: 422, title: expect.any(String), type: expect.any(String), detail: expect.any(String) });
  });

  it('rejects a hold with a reason and with no body at all', async () => {
    const opened = await post(app.baseUrl, '/v1/wallets', { type: 'main', currency: 'EUR' });
    const id = opened.body.id as string;
    const hold = await post(app.baseUrl, `/v1/wallets/${id}/transactions`, { type: 'credit', amount: '50', pending: true });
    expect(hold.body.balance).toEqual({ ledger: '0', available: '0', pendingDebits: '0', pendingCredits: '50' });
    const rejected = await post(app.baseUrl, `/v1/wallets/${id}/transactions/${hold.body.transaction.id}/reject`, { reason: 'fraud check' });
    expect(rejected.status).toBe(200);
    expect(rejected.body.transaction).toMatchObject({ status: 'rejected', rejectReason: 'fraud check' });
    const second = await post(app.baseUrl, `/v1/wallets/${id}/transactions`, { type: 'credit', amount: '5', pending: true });
    const bare = await post(app.baseUrl, `/v1/wallets/${id}/transactions/${second.body.transaction.id}/reject`, '', { 'content-type': 'application/json' });
    expect(bare.status).toBe(200);
    expect(bare.body.transaction.rejectReason).toBeNull();
  });

  it('adds an owner once', async () => {
    const opened = await post(app.baseUrl, '/v1/wallets', { type: 'main', currency: 'USD' });
    const owner = { ownerType: 'shop', ownerRef: 's-9' };
    const added = await post(app.baseUrl, `/v1/wallets/${opened.body.id}/owners`, owner);
    expect(added.status).toBe(201);
    expect(added.body.owners).toEqual([{ ...owner, createdAt: expect.any(String) }]);
    const again = await post(app.baseUrl, `/v1/wallets/${opened.body.id}/owners`, owner);
    expect(again.body.owners).toHaveLength(1);
    expect(again.body.version).toBe(2);
  });

  it('serves health and the OpenAPI document', async () => {
    expect((await get(app.baseUrl, '/health/live')).status).toBe(200);
    expect((await get(app.baseUrl, '/health/ready')).body).toEqual({ status: 'ok', checks: { database: 'up', projector: expect.any(Object) } });
    const doc = await get(app.baseUrl, '/docs/json');
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/v1/wallets', '/v1/wallets/{walletId}/transactions']));
    const ui = await fetch(`${app.baseUrl}/docs`);
    expect(ui.status).toBe(200);
  });
});
