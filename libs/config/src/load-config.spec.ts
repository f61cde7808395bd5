import { ConfigError, loadConfig } from './load-config';

describe('loadConfig', () => {
  it('names a bad variable with the value it got', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT: .*\(got "eighty"\)/);
  });

  it.each([
    ['ADMIN_API_KEY', 'short secret'],
    ['DATABASE_URL', 'mysql://user:hunter2@db/wallets'],
    ['KURRENTDB_URL', 'http://admin:changeit@kdb:2113'],
  ])('never echoes the value of %s, which may hold a secret', (variable, value) => {
    let message = '';
    try {
      loadConfig({ [variable]: value });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain(variable);
    expect(message).not.toContain(value);
  });

  it('refuses a webhook lease shorter than two attempt timeouts, and a retry ceiling below its floor', () => {
    expect(() => loadConfig({ WEBHOOK_TIMEOUT_MS: '10000', WEBHOOK_LEASE_MS: '15000' })).toThrow(/WEBHOOK_LEASE_MS: must be at least twice WEBHOOK_TIMEOUT_MS/);
    expect(() => loadConfig({ WEBHOOK_RETRY_BASE_MS: '5000', WEBHOOK_RETRY_MAX_MS: '1000' })).toThrow(/WEBHOOK_RETRY_MAX_MS: must be at least WEBHOOK_RETRY_BASE_MS/);
    expect(loadConfig({ WEBHOOK_TIMEOUT_MS: '500', WEBHOOK_LEASE_MS: '1000' }).WEBHOOK_LEASE_MS).toBe(1000);
  });
});
