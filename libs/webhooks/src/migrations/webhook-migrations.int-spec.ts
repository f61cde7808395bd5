import { migrate } from '@wallet/postgres';
import { type TestDatabase, createTestDatabase, schemaCatalog } from '@wallet/testing';
import { WebhookEndpointStore } from '../webhook-endpoint-store';
import { webhookMigrations } from './index';

describe("webhooks' migrations on an empty database", () => {
  let database: TestDatabase;
  let applied: string[];

  beforeAll(async () => {
    database = await createTestDatabase(2, 'empty');
    // Endpoints and their log depend on no other owner's schema: webhooks' own list is complete.
    applied = await migrate(database.pool, webhookMigrations);
  });
  afterAll(() => database.drop());

  it('apply in their recorded order', () => {
    expect(applied).toEqual(['0016-webhooks']);
  });

  it('create the schema webhooks and nothing of another owner', async () => {
    const catalog = await schemaCatalog(database.pool);
    expect(catalog.schemas).toEqual(['public', 'webhooks']);
    expect(catalog.tables).toEqual(['public.schema_migrations', 'webhooks.deliveries', 'webhooks.endpoints']);
    expect(catalog.functions).toEqual([]);
  });

  it('apply once: a second run applies nothing', async () => {
    expect(await migrate(database.pool, webhookMigrations)).toEqual([]);
  });

  it('leave an endpoint store that creates and finds an endpoint', async () => {
    const endpoints = new WebhookEndpointStore(database.pool);
    const { endpoint, secret } = await endpoints.create({ url: 'https://hooks.example.com/in', types: null, walletId: null, description: 'spec', owner: null, after: 5n });
    expect(secret).toMatch(/^whsec_/);
    expect(endpoint).toMatchObject({ status: 'enabled', after: 5n, deliveredThrough: 5n, attempt: 0 });
    expect(await endpoints.get(endpoint.id, undefined)).toEqual(endpoint);
  });
});
