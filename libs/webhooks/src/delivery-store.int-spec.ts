import { type TestDatabase, createTestDatabase } from '@wallet/testing';
import { type AttemptOutcome, DeliveryStore, type LeasedEndpoint, type PendingBatch } from './delivery-store';
import { WebhookEndpointStore } from './webhook-endpoint-store';

const LONG_LEASE_MS = 60_000;
const OK: AttemptOutcome = { statusCode: 204, durationMs: 3, error: null };
const FAILED: AttemptOutcome = { statusCode: 500, durationMs: 3, error: 'answered 500' };

const batchOf = (first: bigint, last: bigint, nextAfter = last, webhookId = `msg_${first}_${last}`): PendingBatch => ({
  webhookId,
  firstPosition: first,
  lastPosition: last,
  nextAfter,
  body: JSON.stringify({ first: String(first), last: String(last) }),
});

interface EndpointState {
  delivered_through: string;
  batch_id: string | null;
  attempt: number;
  status: string;
  lease_holder: string | null;
  failing_since: Date | null;
  last_error: string | null;
  disabled_reason: string | null;
  due_in_ms: number;
}

describe('DeliveryStore (leases and fenced cursor moves on PostgreSQL)', () => {
  let database: TestDatabase;
  let endpoints: WebhookEndpointStore;

  beforeAll(async () => {
    database = await createTestDatabase(10);
    endpoints = new WebhookEndpointStore(database.pool);
  });
  afterAll(() => database.drop());
  // Each case works on endpoints of its own; earlier cases' endpoints are out of the way.
  beforeEach(() => database.pool.query(`update webhooks.endpoints set status = 'disabled'`));

  const newEndpoint = async (after = 0n): Promise<string> =>
    (await endpoints.create({ url: 'http://127.0.0.1:9/hooks', types: null, walletId: null, description: null, owner: null, after })).endpoint.id;

  const state = async (id: string): Promise<EndpointState> => {
    const { rows } = await database.pool.query<EndpointState>(
      `select delivered_through, batch_id, attempt, status, lease_holder, failing_since, last_error, disabled_reason,
              (extract(epoch from next_attempt_at - now()) * 1000)::int as due_in_ms
         from webhooks.endpoints where id = $1`,
      [id],
    );
    return rows[0]!;
  };

  const claimOne = async (store: DeliveryStore, id: string, leaseMs = LONG_LEASE_MS): Promise<LeasedEndpoint> => {
    const claimed = await store.claimDue(100, leaseMs);
    const endpoint = claimed.find((candidate) => candidate.id === id);
    if (!endpoint) throw new Error(`endpoint ${id} was not claimed`);
    return endpoint;
  };

  it('never hands one endpoint to two holders, over many rounds of concurrent claims', async () => {
    const ENDPOINTS = 12;
    const ROUNDS = 40;
    const ids = new Set(await Promise.all(Array.from({ length: ENDPOINTS }, () => newEndpoint())));
    const a = new DeliveryStore(database.pool, 'holder-a');
    const b = new DeliveryStore(database.pool, 'holder-b');
    const taken = { a: 0, b: 0 };
    for (let round = 0; round < ROUNDS; round += 1) {
      // Small limits on odd rounds: each claim takes part of the due endpoints, the other the rest.
      const limit = round % 2 === 0 ? 100 : 1 + (round % 7);
      const [byA, byB] = await Promise.all([a.claimDue(limit, LONG_LEASE_MS), b.claimDue(limit, LONG_LEASE_MS)]);
      const idsA = byA.map((endpoint) => endpoint.id).filter((id) => ids.has(id));
      const idsB = byB.map((endpoint) => endpoint.id).filter((id) => ids.has(id));
      expect(idsA.filter((id) => idsB.includes(id))).toEqual([]);
      // While both hold their leases, a third claim gets none of them.
      const third = await new DeliveryStore(database.pool, 'holder-c').claimDue(100, LONG_LEASE_MS);
      expect(third.map((endpoint) => endpoint.id).filter((id) => idsA.includes(id) || idsB.includes(id))).toEqual([]);
      await Promise.all(third.map((endpoint) => new DeliveryStore(database.pool, 'holder-c').release(endpoint.id)));
      const { rows } = await database.pool.query<{ id: string; lease_holder: string }>(`select id, lease_holder from webhooks.endpoints where lease_holder is not null`);
      for (const row of rows) expect(row.lease_holder).toBe(idsA.includes(row.id) ? 'holder-a' : 'holder-b');
      taken.a += idsA.length;
      taken.b += idsB.length;
      await Promise.all([...idsA.map((id) => a.release(id)), ...idsB.map((id) => b.release(id))]);
    }
    // Both holders got some: the claims did run side by side.
    expect(taken.a + taken.b).toBeGreaterThan(0);
    console.log(`claims over ${ROUNDS} rounds: holder-a ${taken.a}, holder-b ${taken.b}`);
  });

  it('lets another holder claim an endpoint whose lease lapsed, and fences the old holder out', async () => {
    const id = await newEndpoint(10n);
    const a = new DeliveryStore(database.pool, 'holder-a');
    const b = new DeliveryStore(database.pool, 'holder-b');
    const leasedByA = await claimOne(a, id, 100);
    expect(await b.claimDue(100, LONG_LEASE_MS)).toEqual([]);
    expect(await a.begin(id, 10n, batchOf(11n, 15n, 17n))).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 250));

    const leasedByB = await claimOne(b, id);
    // B takes over the batch A was sending: the same id and body.
    expect(leasedByB.batch).toEqual(batchOf(11n, 15n, 17n));
    expect(leasedByB.deliveredThrough).toBe(10n);
    expect(await a.renew(id, LONG_LEASE_MS)).toBeUndefined();

    // A's late answer changes no cursor, neither as a success nor as a failure.
    expect(await a.record({ ...leasedByA, batch: batchOf(11n, 15n) }, batchOf(11n, 15n), OK, 1_000, 3_600_000)).toBe(false);
    expect(await a.record({ ...leasedByA, batch: batchOf(11n, 15n) }, batchOf(11n, 15n), FAILED, 1_000, 3_600_000)).toBe(false);
    expect(await state(id)).toMatchObject({ delivered_through: '10', batch_id: 'msg_11_15', attempt: 0, lease_holder: 'holder-b', last_error: null });
    // Nor can A start a batch or move the cursor when idle.
    expect(await a.begin(id, 10n, batchOf(11n, 12n))).toBe(false);
    await a.idle(id, 10n, 99n);
    await a.release(id);
    expect(await state(id)).toMatchObject({ delivered_through: '10', batch_id: 'msg_11_15', lease_holder: 'holder-b' });

    // B's answer does move it, past the batch and the events its filter passed over.
    expect(await b.renew(id, LONG_LEASE_MS)).toHaveLength(1);
    expect(await b.record(leasedByB, leasedByB.batch!, OK, 1_000, 3_600_000)).toBe(true);
    expect(await state(id)).toMatchObject({ delivered_through: '17', batch_id: null, attempt: 0 });
  });

  it('ignores an answer to a batch a replay dropped', async () => {
    const id = await newEndpoint(20n);
    const a = new DeliveryStore(database.pool, 'holder-a');
    const leased = await claimOne(a, id);
    expect(await a.begin(id, 20n, batchOf(21n, 30n))).toBe(true);
    await endpoints.replay(id, undefined, 5n);

    expect(await a.record(leased, batchOf(21n, 30n), OK, 1_000, 3_600_000)).toBe(false);
    expect(await state(id)).toMatchObject({ delivered_through: '5', batch_id: null });
    expect(await a.record(leased, batchOf(21n, 30n), FAILED, 1_000, 3_600_000)).toBe(false);
    expect(await state(id)).toMatchObject({ delivered_through: '5', batch_id: null, attempt: 0, last_error: null });
    // The old cursor no longer fits: the batch read before the replay is not started either.
    expect(await a.begin(id, 20n, batchOf(21n, 30n))).toBe(false);
    expect(await a.begin(id, 5n, batchOf(6n, 9n))).toBe(true);
    // Every attempt is logged, the fenced ones too.
    const log = await endpoints.deliveries(id, { limit: 10 });
    expect(log.map((entry) => [entry.webhookId, entry.error])).toEqual([
      ['msg_21_30', 'answered 500'],
      ['msg_21_30', null],
    ]);
  });

  it('schedules a failed batch for later, counts the attempts, and keeps the batch', async () => {
    const id = await newEndpoint();
    const a = new DeliveryStore(database.pool, 'holder-a');
    const leased = await claimOne(a, id);
    const batch = batchOf(1n, 4n);
    expect(await a.begin(id, 0n, batch)).toBe(true);
    expect(await a.record(leased, batch, FAILED, 5_000, 3_600_000)).toBe(true);
    const afterOne = await state(id);
    expect(afterOne).toMatchObject({ delivered_through: '0', batch_id: batch.webhookId, attempt: 1, status: 'enabled', last_error: 'answered 500' });
    expect(afterOne.failing_since).not.toBeNull();
    expect(afterOne.due_in_ms).toBeGreaterThan(4_000);
    expect(afterOne.due_in_ms).toBeLessThanOrEqual(5_000);
    await a.release(id);
    // Not due: nobody claims it before its time.
    expect((await new DeliveryStore(database.pool, 'holder-b').claimDue(100, LONG_LEASE_MS)).map((endpoint) => endpoint.id)).not.toContain(id);

    await database.pool.query('update webhooks.endpoints set next_attempt_at = now() where id = $1', [id]);
    const again = await claimOne(a, id);
    expect(again).toMatchObject({ attempt: 1, batch });
    expect(await a.record(again, batch, FAILED, 1_000, 3_600_000)).toBe(true);
    expect(await state(id)).toMatchObject({ attempt: 2, failing_since: afterOne.failing_since });
    const { rows } = await database.pool.query('select attempts_total, failures_total from webhooks.endpoints where id = $1', [id]);
    expect(rows[0]).toEqual({ attempts_total: '2', failures_total: '2' });
    expect((await endpoints.deliveries(id, { limit: 10 })).map((entry) => entry.attempt)).toEqual([2, 1]);

    // A success clears the failure and moves on.
    expect(await a.record({ ...again, attempt: 2 }, batch, OK, 1_000, 3_600_000)).toBe(true);
    expect(await state(id)).toMatchObject({ delivered_through: '4', batch_id: null, attempt: 0, failing_since: null, last_error: null });
  });

  it('disables an endpoint failing for disableAfterMs and keeps its cursor', async () => {
    const id = await newEndpoint(40n);
    const a = new DeliveryStore(database.pool, 'holder-a');
    const leased = await claimOne(a, id);
    const batch = batchOf(41n, 45n);
    expect(await a.begin(id, 40n, batch)).toBe(true);
    expect(await a.record(leased, batch, FAILED, 10, 3_600_000)).toBe(true);
    expect(await state(id)).toMatchObject({ status: 'enabled' });
    // Failing for two hours now, one allowed.
    await database.pool.query(`update webhooks.endpoints set failing_since = now() - interval '2 hours' where id = $1`, [id]);
    expect(await a.record({ ...leased, attempt: 1 }, batch, FAILED, 10, 3_600_000)).toBe(true);
    const disabled = await state(id);
    expect(disabled).toMatchObject({ status: 'disabled', delivered_through: '40', batch_id: batch.webhookId, attempt: 2 });
    expect(disabled.disabled_reason).toMatch(/^failing since /);
    await a.release(id);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await a.claimDue(100, LONG_LEASE_MS)).map((endpoint) => endpoint.id)).not.toContain(id);
    expect(await a.renew(id, LONG_LEASE_MS)).toBeUndefined();

    // Enabled again, it resumes from the kept cursor with the same batch.
    await endpoints.enable(id, undefined);
    expect(await claimOne(a, id)).toMatchObject({ deliveredThrough: 40n, batch, attempt: 0 });
  });

  it('moves the cursor past skipped events when idle, only from the expected cursor and with no batch', async () => {
    const id = await newEndpoint(50n);
    const a = new DeliveryStore(database.pool, 'holder-a');
    await claimOne(a, id);
    await a.idle(id, 50n, 80n);
    expect(await state(id)).toMatchObject({ delivered_through: '80' });
    // From a cursor that is no longer there: nothing.
    await a.idle(id, 50n, 90n);
    expect(await state(id)).toMatchObject({ delivered_through: '80' });
    // With a batch in flight: nothing, the batch moves the cursor.
    expect(await a.begin(id, 80n, batchOf(81n, 85n))).toBe(true);
    await a.idle(id, 80n, 100n);
    expect(await state(id)).toMatchObject({ delivered_through: '80', batch_id: 'msg_81_85' });
  });

  it('passes over an endpoint with nothing to send until the log grows past its cursor', async () => {
    const id = await newEndpoint(60n);
    const h = new DeliveryStore(database.pool, 'holder-h');
    const atHead = await h.claimDue(100, LONG_LEASE_MS, 60n);
    expect(atHead.map((endpoint) => endpoint.id)).not.toContain(id);
    const grown = await h.claimDue(100, LONG_LEASE_MS, 61n);
    expect(grown.map((endpoint) => endpoint.id)).toContain(id);
    await Promise.all([...atHead, ...grown].map((endpoint) => h.release(endpoint.id)));
  });

  it('puts an endpoint that had nothing to send behind the others that are due', async () => {
    const [first, second] = [await newEndpoint(), await newEndpoint()];
    const h = new DeliveryStore(database.pool, 'holder-f');
    await claimOne(h, first);
    await h.idle(first, 0n, 0n);
    await Promise.all([h.release(first), h.release(second)]);
    const [next] = await h.claimDue(1, LONG_LEASE_MS);
    expect(next!.id).toBe(second);
    await h.release(second);
  });

  it('counts a failure before anything was sent (a stall) as a failed attempt, with backoff and the error kept', async () => {
    const id = await newEndpoint();
    const h = new DeliveryStore(database.pool, 'holder-s');
    await claimOne(h, id);
    await h.stall(id, 'events after 0 could not be read: boom', 5_000, 3_600_000);
    const stalled = await state(id);
    expect(stalled).toMatchObject({ attempt: 1, last_error: 'events after 0 could not be read: boom', status: 'enabled', delivered_through: '0' });
    expect(stalled.failing_since).not.toBeNull();
    expect(stalled.due_in_ms).toBeGreaterThan(4_000);
    // Another holder's stall changes nothing.
    await new DeliveryStore(database.pool, 'holder-t').stall(id, 'not mine', 1, 1);
    expect((await state(id)).last_error).toBe('events after 0 could not be read: boom');
  });
});
