import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@wallet/testing';
import type { ClaimRequest } from '../idempotency.port';
import { IdempotencyOwner } from './idempotency-owner';
import { PostgresIdempotencyStore } from './postgres-idempotency-store';

const LEASE_MS = 60_000;

describe('Idempotency-Key claims and their owner lock', () => {
  let database: TestDatabase;
  const owners: IdempotencyOwner[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(owners.map((owner) => owner.close()));
    await database.drop();
  });

  const startOwner = async (): Promise<IdempotencyOwner> => {
    const owner = await IdempotencyOwner.start({ connectionString: database.url, application_name: `owner-${randomUUID()}` }, () => undefined);
    owners.push(owner);
    return owner;
  };
  const storeOf = (owner?: IdempotencyOwner) => new PostgresIdempotencyStore(database.pool, owner);
  const request = (key = randomUUID(), requestHash = 'h1'): ClaimRequest => ({ scope: 's', key, requestHash, leaseMs: LEASE_MS, ttlMs: 3_600_000 });

  it('records the owner of a claim', async () => {
    const owner = await startOwner();
    const claim = request();
    expect((await storeOf(owner).claim(claim)).outcome).toBe('claimed');
    const { rows } = await database.pool.query('select owner from event_store.idempotency_keys where key = $1', [claim.key]);
    expect(rows[0].owner).toBe(owner.id);
  });

  it('does not take over a claim whose owner lives, within its lease', async () => {
    const [first, second] = [await startOwner(), await startOwner()];
    const claim = request();
    expect((await storeOf(first).claim(claim)).outcome).toBe('claimed');
    expect(await storeOf(second).claim(claim)).toEqual({ outcome: 'in_progress' });
  });

  it('takes over at once a claim whose owner is gone, long before its lease ends', async () => {
    const [dying, retrying] = [await startOwner(), await startOwner()];
    const claim = request();
    expect((await storeOf(dying).claim(claim)).outcome).toBe('claimed');
    await dying.close();
    expect((await storeOf(retrying).claim(claim)).outcome).toBe('claimed');
  });

  it('a dead owner frees a key for the same request only: another body is still a reuse', async () => {
    const [dying, retrying] = [await startOwner(), await startOwner()];
    const claim = request();
    await storeOf(dying).claim(claim);
    await dying.close();
    expect(await storeOf(retrying).claim({ ...claim, requestHash: 'h2' })).toEqual({ outcome: 'mismatch' });
  });

  it('a claim made without an owner waits for its lease', async () => {
    const claim = request();
    expect((await storeOf().claim(claim)).outcome).toBe('claimed');
    expect(await storeOf(await startOwner()).claim(claim)).toEqual({ outcome: 'in_progress' });
  });

  it('of concurrent retries of a dead key, exactly one takes it over', async () => {
    const retrying = await Promise.all(Array.from({ length: 6 }, () => startOwner()));
    for (let round = 0; round < 20; round += 1) {
      const dying = await startOwner();
      const claim = request();
      await storeOf(dying).claim(claim);
      await dying.close();
      const outcomes = await Promise.all(retrying.map((owner) => storeOf(owner).claim(claim)));
      expect(outcomes.filter((outcome) => outcome.outcome === 'claimed')).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome.outcome === 'in_progress')).toHaveLength(retrying.length - 1);
    }
  });

  it('a lost owner connection takes a new id: its earlier claims count as dead, its new ones live', async () => {
    const owner = await startOwner();
    const before = request();
    await storeOf(owner).claim(before);
    const oldId = owner.id;
    await database.pool.query(`select pg_terminate_backend(pid) from pg_stat_activity where pid in (
      select pid from pg_locks where locktype = 'advisory' and objsubid = 2 and objid = $1::oid)`, [oldId]);
    const deadline = Date.now() + 10_000;
    while ((owner.id === undefined || owner.id === oldId) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(owner.id).toEqual(expect.any(Number));
    expect(owner.id).not.toBe(oldId);
    const other = await startOwner();
    expect((await storeOf(other).claim(before)).outcome).toBe('claimed');
    const after = request();
    await storeOf(owner).claim(after);
    expect(await storeOf(other).claim(after)).toEqual({ outcome: 'in_progress' });
  });

  it('a connection given up on for an error is ended: the old session and its lock do not outlive the new id', async () => {
    const owner = await startOwner();
    const oldId = owner.id;
    // An error on a connection whose socket is still open, as a half-open one would be.
    const { client } = (owner as unknown as { held: { client: import('pg').Client } }).held;
    client.emit('error', new Error('connection stalled'));
    const oldLockHeld = async () =>
      (await database.pool.query(`select 1 from pg_locks where locktype = 'advisory' and objsubid = 2 and objid = $1::oid and granted`, [oldId])).rowCount! > 0;
    const deadline = Date.now() + 10_000;
    while (((await oldLockHeld()) || owner.id === undefined) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await oldLockHeld()).toBe(false);
    expect(owner.id).toEqual(expect.any(Number));
    expect(owner.id).not.toBe(oldId);
  });
});
