import { FakeClock } from './support/fake-clock';
import { fundedWallet, post } from './support/http';
import { READ_SIDE_ENV, getAfter } from './support/read-model';
import { startTestApp, type TestApp } from './support/test-app';


describe('hold expiry', () => {
  const clock = new FakeClock(Date.parse('2030-05-01T12:00:00.000Z'));
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ clock, env: { ...READ_SIDE_ENV, EXPIRY_INTERVAL_MS: '25' } });
  });
  afterAll(async () => app.close());

  const inSeconds = (seconds: number) => new Date(clock.now().getTime() + seconds * 1_000).toISOString();
  const rejections = async (transactionId: string): Promise<number> =>
    Number((await app.database.pool.query("select count(*) from event_store.events where type = 'HoldRejected' and data->>'transactionId' = $1", [transactionId])).rows[0].count);

  async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const value = await read();
      if (done(value) || Date.now() > deadline) return value;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('rejects a hold at its moment, once, releasing the funds, and refuses a late confirm', async () => {
    const walletId = await fundedWallet(app.baseUrl, '100');
    const hold = await post(app.baseUrl, `/v1/wallets/${walletId}/transactions`, { type: 'debit', amount: '80', pending: true, expiresAt: inSeconds(60) });
    const id = hold.body.transaction.id as string;
    clock.advance(59_000);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await rejections(id)).toBe(0);

    clock.advance(1_000);
    const late = await post(app.baseUrl, `/v1/wallets/${walletId}/transactions/${id}/confirm`);
    expect(late.body.code).toBe('HOLD_EXPIRED');
    const transaction = await until(
      async () => (await getAfter(app, `/v1/wallets/${walletId}/transactions/${id}`, hold.body.position)).body,
      (body) => body.status === 'rejected',
    );
    expect(transaction).toMatchObject({ status: 'rejected', rejectReason: 'expired' });
    expect((await post(app.baseUrl, `/v1/wallets/${walletId}/transactions/${id}/confirm`)).body.code).toBe('HOLD_EXPIRED');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await rejections(id)).toBe(1);
    const spend = await post(app.baseUrl, `/v1/wallets/${walletId}/transactions`, { type: 'debit', amount: '100' });
    expect(spend.status).toBe(201);
  });

  it('expires a pending group, every leg at once', async () => {
    const [a, b] = [await fundedWallet(app.baseUrl, '50'), await fundedWallet(app.baseUrl, '0')];
    const group = await post(app.baseUrl, '/v1/transaction-groups', {
      pending: true,
      expiresAt: inSeconds(30),
      transactions: [{ walletId: a, type: 'debit', amount: '50' }, { walletId: b, type: 'credit', amount: '50' }],
    });
    expect(group.status).toBe(201);
    clock.advance(31_000);
    const expired = await until(
      async () => (await getAfter(app, `/v1/transaction-groups/${group.body.group.id}`, group.body.position)).body,
      (body) => body.status === 'rejected',
    );
    expect(expired.transactions.map((t: any) => [t.status, t.rejectReason])).toEqual([['rejected', 'expired'], ['rejected', 'expired']]);
    expect((await post(app.baseUrl, `/v1/transaction-groups/${group.body.group.id}/confirm`)).body.code).toBe('HOLD_EXPIRED');
  });

  it('expires, on start, a hold that fell due while the service was down', async () => {
    const walletId = await fundedWallet(app.baseUrl, '10');
    const hold = await post(app.baseUrl, `/v1/wallets/${walletId}/transactions`, { type: 'debit', amount: '10', pending: true, expiresAt: inSeconds(5) });
    const id = hold.body.transaction.id as string;
    await getAfter(app, `/v1/wallets/${walletId}/transactions/${id}`, hold.body.position);
    await app.stop();
    clock.advance(3_600_000);
    expect(await rejections(id)).toBe(0);
    await app.start();
    expect(await rejections(id)).toBe(1);
  });
});
