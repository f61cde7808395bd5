import { PostgresEventStore } from '@wallet/event-store';
import { type TestDatabase, createTestDatabase } from '@wallet/testing';
import { runCli as cli } from './support/cli';

const metadata = { correlationId: 'chain-spec', causationId: 'chain-spec' };
const credit = (amount: string) => ({ type: 'FundsCredited', schemaVersion: 1, data: { amount }, metadata });

describe('verify --chain', () => {
  let database: TestDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase(4);
    env = { DATABASE_URL: database.url };
    const store = new PostgresEventStore(database.pool, { connectionString: database.url });
    try {
      await store.append('wallet-1', [credit('1'), credit('2')], 'no_stream');
      await store.append('wallet-2', [credit('3'), credit('4'), credit('5')], 'no_stream');
      await store.append('wallet-3', [credit('6')], 'no_stream');
      await store.append('wallet-1', [credit('7')], 1);
    } finally {
      await store.close();
    }
  });
  afterAll(() => database.drop());

  it('says the chain is intact and prints the stream heads digest, the same again at that position later', async () => {
    const intact = await cli(['verify', '--chain'], env);

    expect(intact).toMatchObject({ code: 0, stdout: expect.stringContaining('Event chain intact: 3 streams, 7 events.\n') });
    // By default the heads are taken below any transaction still running on the server, which
    // other spec files may hold: the number of streams covered can be lower than 3.
    const [heads, position] = /Stream heads at position (\d+): \d streams, digest [0-9a-f]{64}\n/.exec(intact.stdout) ?? [];
    expect(heads).toBeDefined();
    const again = await cli(['verify', '--chain', '--heads-at', position!], env);
    expect(again.stdout).toContain(heads);
  });

  it('exits with 1 and names the stream and revision of an event edited by SQL', async () => {
    const { rows } = await database.pool.query<{ position: string }>(
      `update event_store.events set data = '{"amount":"5000"}' where stream = 'wallet-2' and revision = 1 returning position`,
    );

    const broken = await cli(['verify', '--chain'], env);

    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(new RegExp(`^stream +revision +position +reason +detail\\nwallet-2 +1 +${rows[0]!.position} +hash-mismatch +the stored hash`));
    expect(broken.stdout).toContain('1 broken stream, each at its first broken event: 3 streams, 7 events.\n');
  });

  it('exits with 3 on KurrentDB and says the chain covers the PostgreSQL store', async () => {
    const kurrent = await cli(['verify', '--chain'], { EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'kurrentdb://127.0.0.1:1?tls=false' });

    expect(kurrent).toMatchObject({ code: 3, stdout: '' });
    expect(kurrent.stderr).toContain('verify --chain checks the hash chain of the PostgreSQL event store');
  });
});
