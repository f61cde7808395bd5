import { PostgresEventStore } from '@wallet/event-store';
import { type TestDatabase, createTestDatabase } from '@wallet/testing';
import { runCli as cli } from './support/cli';

const metadata = { correlationId: 'verify-lag-spec', causationId: 'verify-lag-spec' };
const credit = (amount: string) => ({ type: 'FundsCredited', schemaVersion: 1, data: { amount }, metadata });

/** `verify` against a read model that never projected: no drift up to its checkpoint, but far behind the head. */
describe('verify and the log head', () => {
  let database: TestDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase(4);
    env = { DATABASE_URL: database.url };
    const store = new PostgresEventStore(database.pool, { connectionString: database.url });
    try {
      await store.append('wallet-1', [credit('1'), credit('2'), credit('3')], 'no_stream');
      await store.append('wallet-2', [credit('4'), credit('5')], 'no_stream');
    } finally {
      await store.close();
    }
  });
  afterAll(() => database.drop());

  it('exits 4 when the read model trails the head by more than --max-lag-events, and names both positions', async () => {
    const behind = await cli(['verify', '--max-lag-events', '2'], env);

    expect(behind.code).toBe(4);
    expect(behind.stdout).toMatch(/No drift: .*up to position 0 \(the log's head: \d+\)/);
    expect(behind.stdout).toMatch(/The read model is behind the log: \d+ positions after its checkpoint 0 \(head \d+\), more than --max-lag-events 2/);
  });

  it('exits 0 within the bound (the default allows a running projector its usual lag)', async () => {
    const within = await cli(['verify'], env);

    expect(within.code).toBe(0);
    expect(within.stdout).not.toContain('behind');
  });

  it('refuses a bound that is not a whole number', async () => {
    const bad = await cli(['verify', '--max-lag-events', 'many'], env);

    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--max-lag-events');
  });
});
