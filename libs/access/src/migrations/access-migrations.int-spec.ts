import { migrate } from '@wallet/postgres';
import { type TestDatabase, createTestDatabase, schemaCatalog } from '@wallet/testing';
import { createApiKey, findApiKey } from '../api-key-store';
import { accessMigrations } from './index';

describe("access's migrations on an empty database", () => {
  let database: TestDatabase;
  let applied: string[];

  beforeAll(async () => {
    database = await createTestDatabase(2, 'empty');
    // API keys depend on no other owner's schema: access's own list is complete.
    applied = await migrate(database.pool, accessMigrations);
  });
  afterAll(() => database.drop());

  it('apply in their recorded order', () => {
    expect(applied).toEqual(['0008-api-keys', '0015-webhooks-scope']);
  });

  it('create the schema access and nothing of another owner', async () => {
    const catalog = await schemaCatalog(database.pool);
    expect(catalog.schemas).toEqual(['access', 'public']);
    expect(catalog.tables).toEqual(['access.api_keys', 'public.schema_migrations']);
    expect(catalog.functions).toEqual([]);
  });

  it('leave a key store that stores and finds a key', async () => {
    const { key, secret } = await createApiKey(database.pool, { name: 'spec', scopes: ['wallets:read'] });
    expect(await findApiKey(database.pool, secret)).toEqual(key);
  });
});
