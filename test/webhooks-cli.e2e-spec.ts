import { PostgresEventStore } from '@wallet/event-store';
import { type TestDatabase, createTestDatabase } from '@wallet/testing';
import { type WebhookEndpoint, WebhookEndpointStore } from '@wallet/webhooks';
import { runCli as cli } from './support/cli';

const metadata = { correlationId: 'webhooks-cli-spec', causationId: 'webhooks-cli-spec' };
const credit = (amount: string) => ({ type: 'FundsCredited', schemaVersion: 1, data: { amount }, metadata });
const endpointFor = (url: string, after: bigint) => ({ url, types: null, walletId: null, description: null, after, owner: null });

/** `webhooks list|replay|disable|enable` against endpoints made with the store, no delivery running. */
describe('webhooks commands', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let endpoints: WebhookEndpointStore;
  let head: bigint;
  let behind: WebhookEndpoint;
  let owned: WebhookEndpoint;

  beforeAll(async () => {
    database = await createTestDatabase(4);
    env = { DATABASE_URL: database.url };
    const store = new PostgresEventStore(database.pool, { connectionString: database.url });
    try {
      await store.append('wallet-1', [credit('1'), credit('2'), credit('3'), credit('4'), credit('5')], 'no_stream');
      head = await store.headPosition();
    } finally {
      await store.close();
    }
    endpoints = new WebhookEndpointStore(database.pool);
    behind = (await endpoints.create(endpointFor('https://hooks.example.com/behind', 2n))).endpoint;
    owned = (await endpoints.create({ ...endpointFor('https://hooks.example.com/owned', head), owner: { ownerType: 'user', ownerRef: 'alice' } })).endpoint;
    // A failing endpoint, as delivery leaves one.
    await database.pool.query(`update webhooks.endpoints set last_error = 'answered 503', failing_since = '2026-01-02T03:04:05Z' where id = $1`, [behind.id]);
  });
  afterAll(() => database.drop());

  it('lists every endpoint, whoever owns it, with its cursor, lag, last error and failing time', async () => {
    const [table, json] = await Promise.all([cli(['webhooks', 'list'], env), cli(['webhooks', 'list', '--json'], env)]);

    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]!.split(/\s+/)).toEqual(['id', 'url', 'status', 'deliveredThrough', 'lag', 'lastError', 'failingSince']);
    expect(lines).toHaveLength(3);
    expect(lines[1]!.split(/\s{2,}/)).toEqual([behind.id, behind.url, 'enabled', '2', String(head - 2n), 'answered 503', '2026-01-02T03:04:05.000Z']);
    expect(lines[2]!.split(/\s{2,}/)).toEqual([owned.id, owned.url, 'enabled', String(head), '0', '-', '-']);

    expect(json.code).toBe(0);
    const views = JSON.parse(json.stdout) as { id: string; lag: string; deliveredThrough: string; lastError: string | null }[];
    expect(views.map((view) => [view.id, view.deliveredThrough, view.lag, view.lastError])).toEqual([
      [behind.id, '2', String(head - 2n), 'answered 503'],
      [owned.id, String(head), '0', null],
    ]);
  });

  it('replays, disables and enables, in the database, and says so', async () => {
    const [replay, disable] = await Promise.all([
      cli(['webhooks', 'replay', behind.id, '--after', '0'], env),
      cli(['webhooks', 'disable', owned.id, '--reason', 'receiver retired'], env),
    ]);

    expect(replay).toMatchObject({ code: 0, stdout: `Replaying ${behind.id} (${behind.url}) from the first event after position 0.\n` });
    expect(disable).toMatchObject({ code: 0, stdout: `Disabled ${owned.id} (${owned.url}); its cursor stays at ${head}.\n` });
    const replayed = (await endpoints.get(behind.id, undefined))!;
    expect([replayed.deliveredThrough, replayed.failingSince, replayed.attempt, replayed.status]).toEqual([0n, null, 0, 'enabled']);
    const disabled = (await endpoints.get(owned.id, undefined))!;
    expect([disabled.status, disabled.disabledReason, disabled.deliveredThrough]).toEqual(['disabled', 'receiver retired', head]);

    const enable = await cli(['webhooks', 'enable', owned.id], env);

    expect(enable.code).toBe(0);
    expect(enable.stdout).toContain(`Enabled ${owned.id}`);
    expect((await endpoints.get(owned.id, undefined))!).toMatchObject({ status: 'enabled', disabledReason: null, deliveredThrough: head });
  });

  it('refuses an unknown id, a malformed id and a position that is not a whole number, changing nothing', async () => {
    const [unknown, malformed, badPosition] = await Promise.all([
      cli(['webhooks', 'disable', '01900000-0000-7000-8000-000000000000'], env),
      cli(['webhooks', 'replay', 'nope', '--after', '1'], env),
      cli(['webhooks', 'replay', behind.id, '--after', '-3'], env),
    ]);

    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringContaining('No webhook endpoint has the id 01900000-0000-7000-8000-000000000000') });
    expect(malformed).toMatchObject({ code: 2, stderr: expect.stringContaining('"nope" is not an endpoint id') });
    expect(badPosition.code).toBe(1);
    expect(badPosition.stderr).toContain('--after');
    expect((await endpoints.get(behind.id, undefined))!.deliveredThrough).toBe(0n);
  });
});
