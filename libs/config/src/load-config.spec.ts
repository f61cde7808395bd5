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
});
