import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { appendOnConnection, createTestDatabase, newEvent, type TestDatabase } from '@wallet/testing';
import { PostgresEventStore } from '../postgres/postgres-event-store';
import { contentHash, linkHash } from './event-hash';
import { type ChainReport, type VerifyChainOptions, verifyEventChain } from './verify-chain';

const credit = (amount: string) => newEvent('FundsCredited', { amount, note: { by: 'spec', tags: ['x', 'y'] } });

describe('verifyEventChain', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  /** Events appended by appendSample. */
  let appended: number;

  beforeEach(async () => {
    database = await createTestDatabase(8);
    // One batch in flight: concurrent appends queue up and share the next batch.
    store = new PostgresEventStore(database.pool, { connectionString: database.url }, { groupCommit: { concurrentBatches: 1 } });
    appended = await appendSample();
  });
  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  /**
   * Single and multi-event appends (wallet-a reaches revision 11, past where text would sort
   * revisions wrong), one multi-stream append, and 40 concurrent appends sharing batches.
   * Returns how many events it appended.
   */
  async function appendSample(): Promise<number> {
    for (let revision = 0; revision < 3; revision += 1) await store.append('wallet-a', [credit(`${revision}`)], revision === 0 ? 'no_stream' : revision - 1);
    await store.append('wallet-a', [credit('3'), credit('4')], 2);
    await store.append('wallet-a', Array.from({ length: 7 }, (_, i) => credit(`${5 + i}`)), 4);
    await store.appendMany([
      { stream: 'wallet-b', events: [credit('1'), credit('2'), credit('3')], expectedRevision: 'no_stream' },
      // An id in upper case: PostgreSQL keeps it in lower case, and the hash must still hold.
      { stream: 'wallet-c', events: [{ ...credit('1'), id: randomUUID().toUpperCase() }], expectedRevision: 'no_stream' },
    ]);
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => store.append(`shared-${i % 10}`, [credit(`${i}`), credit(`${i}`)], 'any')));
    const { rows } = await database.pool.query<{ count: number }>(
      'select count(distinct transaction_id)::int as count from event_store.events where position = any($1::bigint[])',
      [results.map((result) => result.position.toString())],
    );
    expect(rows[0]!.count).toBeLessThan(40);
    return 12 + 4 + 80;
  }

  const verify = (options: Partial<VerifyChainOptions> = {}): Promise<ChainReport> => verifyEventChain({ pool: database.pool, pageSize: 4, ...options });

  const positionOf = async (stream: string, revision: number): Promise<bigint> => {
    const { rows } = await database.pool.query<{ position: string }>('select position from event_store.events where stream = $1 and revision = $2', [stream, revision]);
    return BigInt(rows[0]!.position);
  };

  it('finds every chain intact after appends of every shape, and counts every event', async () => {
    const progress: bigint[] = [];

    const report = await verify({ onProgress: (done) => progress.push(done) });

    expect(report).toMatchObject({ lastUnchainedPosition: 0n, streams: 13, events: appended, eventsBeforeChain: 0, brokenCount: 0, broken: [] });
    expect(progress.at(-1)).toBe(BigInt(appended));
    const { rows } = await database.pool.query<{ hashed: number }>('select count(*)::int as hashed from event_store.events where octet_length(hash) = 32');
    expect(rows[0]!.hashed).toBe(appended);
  });

  it.each([
    ['data', `update event_store.events set data = jsonb_set(data, '{amount}', '"999"') where stream = 'wallet-a' and revision = 2`],
    ['metadata', `update event_store.events set metadata = metadata || '{"correlationId":"forged"}' where stream = 'wallet-a' and revision = 2`],
    ['type', `update event_store.events set type = 'FundsDebited' where stream = 'wallet-a' and revision = 2`],
    ['recording time', `update event_store.events set recorded_at = recorded_at - interval '1 day' where stream = 'wallet-a' and revision = 2`],
    ['stored hash', `update event_store.events set hash = sha256('forged') where stream = 'wallet-a' and revision = 2`],
  ])('names the stream and revision of the one event whose %s was edited by SQL, and no other stream', async (_edit, sql) => {
    await database.pool.query(sql);

    const report = await verify();

    expect(report.broken).toEqual([{ stream: 'wallet-a', revision: 2, position: await positionOf('wallet-a', 2), reason: 'hash-mismatch', detail: expect.any(String) }]);
    expect(report).toMatchObject({ brokenCount: 1, events: appended, streams: 13 });
  });

  it('reports an event deleted inside a stream as a broken link at the next revision', async () => {
    await database.pool.query("delete from event_store.events where stream = 'wallet-b' and revision = 1");

    const { broken } = await verify();

    expect(broken).toEqual([{ stream: 'wallet-b', revision: 2, position: await positionOf('wallet-b', 2), reason: 'broken-link', detail: 'revision 2 follows revision 0' }]);
  });

  it("reports a deleted first event as a broken link at the stream's new first revision", async () => {
    await database.pool.query("delete from event_store.events where stream = 'wallet-a' and revision = 0");

    const { broken } = await verify();

    expect(broken).toEqual([expect.objectContaining({ stream: 'wallet-a', revision: 1, reason: 'broken-link', detail: 'the stream starts at revision 1' })]);
  });

  it('reports events that swapped places in the log at the first of them', async () => {
    const [first, third] = [await positionOf('wallet-a', 1), await positionOf('wallet-a', 3)];
    await database.pool.query("update event_store.events set position = -1 where stream = 'wallet-a' and revision = 1");
    await database.pool.query("update event_store.events set position = $1 where stream = 'wallet-a' and revision = 3", [first.toString()]);
    await database.pool.query("update event_store.events set position = $1 where stream = 'wallet-a' and revision = 1", [third.toString()]);

    const { broken } = await verify();

    expect(broken).toEqual([{ stream: 'wallet-a', revision: 1, position: third, reason: 'hash-mismatch', detail: expect.any(String) }]);
  });

  it('reports a hash set to NULL above the chain start, once the guard against it is dropped', async () => {
    const nullHash = "update event_store.events set hash = null where stream = 'wallet-c' and revision = 0";
    await expect(database.pool.query(nullHash)).rejects.toMatchObject({ code: '23514', constraint: 'events_hash_check' });
    // The table's owner can drop the guard: the verifier still sees the missing hash.
    await database.pool.query('alter table event_store.events drop constraint events_hash_check');
    await database.pool.query(nullHash);

    const { broken } = await verify();

    expect(broken).toEqual([expect.objectContaining({ stream: 'wallet-c', revision: 0, reason: 'missing-hash', detail: 'no hash, above position 0 where the chain starts' })]);
  });

  it('accepts events written before the chain started, chains the next ones from them, and still catches a hash removed after them', async () => {
    // What a log from before migration 0009 looks like: no hashes, at or below the chain's start.
    await database.pool.query('alter table event_store.events drop constraint events_hash_check');
    await database.pool.query("update event_store.events set hash = null where stream in ('wallet-a', 'wallet-b')");
    await database.pool.query("update event_store.chain_start set last_unchained_position = (select max(position) from event_store.events where stream in ('wallet-a', 'wallet-b'))");
    await store.append('wallet-a', [credit('12'), credit('13')], 11);
    await store.append('wallet-b', [credit('4')], 2);

    const intact = await verify();

    expect(intact).toMatchObject({ events: appended + 3, eventsBeforeChain: 15, brokenCount: 0 });
    await database.pool.query("update event_store.events set hash = null where stream = 'wallet-a' and revision = 13");
    const { broken } = await verify();
    expect(broken).toEqual([expect.objectContaining({ stream: 'wallet-a', revision: 13, reason: 'missing-hash', detail: 'no hash, after hashed events of the stream' })]);
  });

  it('lists broken streams up to brokenMax and counts them all', async () => {
    await database.pool.query("update event_store.events set data = '{}' where (stream, revision) in (('shared-3', 1), ('wallet-c', 0))");

    const report = await verify({ brokenMax: 1 });

    expect(report).toMatchObject({ brokenCount: 2, broken: [{ stream: 'shared-3', revision: 1 }] });
  });

  describe('stream heads digest', () => {
    it('stays the same at a recorded position while the log grows after it', async () => {
      const headsAt = await store.headPosition();
      const before = await verify({ headsAt });
      await store.append('wallet-a', [credit('12')], 11);
      await store.append('wallet-d', [credit('1')], 'no_stream');

      const after = await verify({ headsAt });

      expect(before.heads).toMatchObject({ position: headsAt, streams: 13, digest: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(after.heads).toEqual(before.heads);
      expect((await verify({ headsAt: await store.headPosition() })).heads.digest).not.toBe(before.heads.digest);
    });

    it('changes when a stream loses its last events, which the chain alone does not show', async () => {
      const headsAt = await store.headPosition();
      const before = await verify({ headsAt });
      await database.pool.query("delete from event_store.events where stream = 'wallet-a' and revision = 11");

      const after = await verify({ headsAt });

      expect(after.brokenCount).toBe(0);
      expect(after.heads.digest).not.toBe(before.heads.digest);
    });

    it('changes when an event is edited and its hash recomputed, which the chain alone does not show', async () => {
      const headsAt = await store.headPosition();
      const before = await verify({ headsAt });
      await rewriteLastEvent('wallet-b', { amount: '1000000' });

      const after = await verify({ headsAt });

      expect(after.brokenCount).toBe(0);
      expect(after.heads.digest).not.toBe(before.heads.digest);
    });

    it('is taken by default below any append still in flight, so that it does not move under it', async () => {
      const slow = new Client({ connectionString: database.url });
      await slow.connect();
      try {
        await slow.query('begin');
        const pending = await appendOnConnection(slow, 'wallet-slow', 'no_stream', credit('1'));
        await store.append('wallet-fast', [credit('1')], 'no_stream');

        const { heads } = await verify();

        expect(heads.position).toBeLessThan(pending);
        await slow.query('commit');
      } finally {
        await slow.end();
      }
    });
  });

  /** What someone who knows the hashing does: edit a stream's last event and store a matching hash. */
  async function rewriteLastEvent(stream: string, data: unknown): Promise<void> {
    const { rows } = await database.pool.query<{ id: string; type: string; schema_version: number; metadata: unknown; revision: string; position: string; recorded_us: string; previous: Buffer }>(
      `select e.id, e.type, e.schema_version, e.metadata, e.revision, e.position, (extract(epoch from e.recorded_at) * 1000000)::bigint as recorded_us,
              (select p.hash from event_store.events p where p.stream = e.stream and p.revision = e.revision - 1) as previous
         from event_store.events e where e.stream = $1 order by e.revision desc limit 1`,
      [stream],
    );
    const row = rows[0]!;
    const content = contentHash({ stream, id: row.id, type: row.type, schemaVersion: row.schema_version, data, metadata: row.metadata });
    const hash = linkHash(row.previous, content, { revision: Number(row.revision), position: BigInt(row.position), recordedAtMicros: BigInt(row.recorded_us) });
    await database.pool.query('update event_store.events set data = $1, hash = $2 where id = $3', [JSON.stringify(data), hash, row.id]);
  }
});
