import { findApiKey, revokeApiKey } from '@wallet/access';
import { loadConfig } from '@wallet/config';
import { createTestDatabase, type TestDatabase } from '@wallet/testing';
import { AdminKeyBootstrap } from './admin-key.bootstrap';

const KEY = /wsk_[A-Za-z0-9_-]{43}/g;

/** What `work` wrote to stdout. */
async function stdoutOf(work: () => Promise<void>): Promise<string> {
  const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    await work();
    return write.mock.calls.map(([chunk]) => String(chunk)).join('');
  } finally {
    write.mockRestore();
  }
}

describe('AdminKeyBootstrap', () => {
  let database: TestDatabase;

  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(() => database.drop());

  it('embedded default, no ADMIN_API_KEY: the first start makes one admin key and prints it once, even with 8 starting at once', async () => {
    const embedded = loadConfig({});
    const printed = await stdoutOf(async () => {
      await Promise.all(Array.from({ length: 8 }, () => new AdminKeyBootstrap(database.pool, embedded).onModuleInit()));
    });
    const secrets = printed.match(KEY) ?? [];
    expect(new Set(secrets).size).toBe(1);
    // Beside the key, where to paste it.
    expect(printed).toContain('operator console: http://127.0.0.1:3000/console');
    const key = await findApiKey(database.pool, secrets[0]!);
    expect(key?.scopes).toEqual(['admin']);
    expect(await stdoutOf(() => new AdminKeyBootstrap(database.pool, embedded).onModuleInit())).toBe('');
    const { rows } = await database.pool.query('select count(*)::int as keys from access.api_keys');
    expect(rows[0].keys).toBe(1);
  });

  it('ADMIN_API_KEY is stored once as an admin key, printed never; a revoked one stays revoked across restarts', async () => {
    const secret = 'wsk_operator-chosen-secret-0123456789abcdefghij';
    const config = loadConfig({ ADMIN_API_KEY: secret, DATABASE_URL: database.url });
    const printed = await stdoutOf(async () => {
      await new AdminKeyBootstrap(database.pool, config).onModuleInit();
      await new AdminKeyBootstrap(database.pool, config).onModuleInit();
    });
    expect(printed).toBe('');
    const key = await findApiKey(database.pool, secret);
    expect(key?.scopes).toEqual(['admin']);
    await revokeApiKey(database.pool, key!.id);
    await new AdminKeyBootstrap(database.pool, config).onModuleInit();
    expect((await findApiKey(database.pool, secret))?.revokedAt).not.toBeNull();
    const { rows } = await database.pool.query('select count(*)::int as keys from access.api_keys');
    expect(rows[0].keys).toBe(1);
  });

  it('an external database with no key at all: no key is made; a warning says how to make one', async () => {
    const printed = await stdoutOf(() => new AdminKeyBootstrap(database.pool, loadConfig({ DATABASE_URL: database.url })).onModuleInit());
    expect(printed).toContain('No active admin API key');
    expect(printed).not.toMatch(KEY);
    const { rows } = await database.pool.query('select count(*)::int as keys from access.api_keys');
    expect(rows[0].keys).toBe(0);
  });
});
