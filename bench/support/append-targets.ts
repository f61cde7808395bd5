import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { type PostgresEventStore, WrongExpectedRevisionError } from '../../libs/event-store/src';
import { walletIdOfStream } from '../../libs/wallet-domain/src';

/** One wallet credit, as every system under test writes it. */
export interface CreditEvent {
  readonly type: 'FundsCredited';
  readonly data: { walletId: string; transactionId: string; amount: string; currency: string; recordedAt: string };
  readonly metadata: { correlationId: string; causationId: string };
}

/** A store the append scenario writes to: one event at a time, at an expected place in its stream. */
export interface AppendTarget {
  readonly name: string;
  /** Appends `event` as the stream's event number `count` (0-based); false when another writer got there first. */
  append(stream: string, count: number, event: CreditEvent): Promise<boolean>;
  /** How many events `stream` holds now, read from the store; the first `known` need not be read again. */
  count(stream: string, known: number): Promise<number>;
  /** How many events the store holds in all. */
  total(): Promise<number>;
  close(): Promise<void>;
}

/** About 170 bytes of data, like the service's own credits. */
export function creditEvent(stream: string): CreditEvent {
  const transactionId = randomUUID();
  return {
    type: 'FundsCredited',
    data: { walletId: walletIdOfStream(stream), transactionId, amount: '100', currency: 'EUR', recordedAt: new Date().toISOString() },
    metadata: { correlationId: transactionId, causationId: transactionId },
  };
}

/** This project's store, through its port; `pool` is the store's own, used for the final count only. */
export function ourStoreTarget(store: PostgresEventStore, pool: Pool): AppendTarget {
  return {
    name: 'this store',
    append: async (stream, count, event) => {
      try {
        await store.append(stream, [{ ...event, schemaVersion: 1 }], count === 0 ? 'no_stream' : count - 1);
        return true;
      } catch (error) {
        if (error instanceof WrongExpectedRevisionError) return false;
        throw error;
      }
    },
    count: async (stream, known) => known + (await store.readStream(stream, { fromRevision: known, maxCount: 1_000 })).length,
    total: () => countRows(pool, 'event_store.events'),
    close: async () => undefined,
  };
}

/**
 * The floor: one autocommitted INSERT per append. The primary key on (stream, revision) is
 * the expected-revision check, the same guarantee as the stores'.
 */
export async function rawInsertTarget(pool: Pool): Promise<AppendTarget> {
  await pool.query(`create table if not exists bench_raw_events (
    stream text not null, revision bigint not null, data jsonb not null, metadata jsonb not null, primary key (stream, revision))`);
  return {
    name: 'raw INSERT',
    append: async (stream, count, event) => {
      try {
        await pool.query('insert into bench_raw_events(stream, revision, data, metadata) values ($1, $2, $3, $4)', [
          stream,
          count,
          JSON.stringify(event.data),
          JSON.stringify(event.metadata),
        ]);
        return true;
      } catch (error) {
        if ((error as { code?: string }).code === '23505') return false;
        throw error;
      }
    },
    count: async (stream) => {
      const { rows } = await pool.query<{ count: number }>('select coalesce(max(revision) + 1, 0)::int as count from bench_raw_events where stream = $1', [stream]);
      return rows[0]!.count;
    },
    total: () => countRows(pool, 'bench_raw_events'),
    close: () => endPool(pool),
  };
}

export async function countRows(pool: Pool, table: string): Promise<number> {
  const { rows } = await pool.query<{ count: number }>(`select count(*)::int as count from ${table}`);
  return rows[0]!.count;
}

/**
 * Resolves once the connections `pool` holds now have closed, after the pool is ended, or
 * after `timeoutMs`. pool.end() resolves as soon as it has asked them to close: dropping the
 * database before they have would kill them, and the pool would raise that as an error.
 */
export function connectionsClosed(pool: Pool, timeoutMs = 5_000): Promise<void> {
  let open = pool.totalCount;
  return new Promise((resolve) => {
    if (open === 0) resolve();
    pool.on('remove', () => {
      open -= 1;
      if (open === 0) resolve();
    });
    setTimeout(resolve, timeoutMs).unref();
  });
}

export async function endPool(pool: Pool): Promise<void> {
  const closed = connectionsClosed(pool);
  await pool.end();
  await closed;
}
