import { type TestDatabase, createTestDatabase } from '@wallet/testing';
import { pruneDeliveryLog } from './delivery-log-pruner';
import { WebhookEndpointStore } from './webhook-endpoint-store';

describe('pruneDeliveryLog', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(2);
  });
  afterAll(() => database.drop());

  it('deletes the attempts older than the days kept, and only those', async () => {
    const { endpoint } = await new WebhookEndpointStore(database.pool).create({ url: 'https://example.com/hooks', types: null, walletId: null, description: null, owner: null, after: 0n });
    await database.pool.query(
      `insert into webhooks.deliveries (endpoint_id, webhook_id, first_position, last_position, attempt, status_code, duration_ms, at)
       select $1, 'msg_' || n, n, n, 1, 204, 5, now() - make_interval(days => n) + interval '1 hour' from generate_series(0, 9) as n`,
      [endpoint.id],
    );
    expect(await pruneDeliveryLog(database.pool, 7)).toBe(2);
    const { rows } = await database.pool.query<{ webhook_id: string }>('select webhook_id from webhooks.deliveries order by first_position');
    expect(rows.map((row) => row.webhook_id)).toEqual(['msg_0', 'msg_1', 'msg_2', 'msg_3', 'msg_4', 'msg_5', 'msg_6', 'msg_7']);
  });
});
