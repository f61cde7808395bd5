import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { Pool } from 'pg';
import type { PostgresEventStore } from '../libs/event-store/src';
import { allMigrations } from '../libs/database/src';
import { migrate } from '../libs/postgres/src';
import { Projector } from '../libs/read-model/src/projector/projector';
import { createBenchDatabase, withEventStore } from './support/bench-database';
import { envInteger, machine, round, writeResults } from './support/results';
import { type SummaryRow, atLeast, figure } from './support/summary';
import { appendBacklog } from './support/wallet-history';

const EVENTS = envInteger('BENCH_EVENTS', 1_000_000);
const WALLETS = envInteger('BENCH_WALLETS', 10_000);
const SNAPSHOT_EVERY = envInteger('BENCH_SNAPSHOT_EVERY', 100);
const APPEND_CONCURRENCY = envInteger('BENCH_APPEND_CONCURRENCY', 2);
const BATCH_SIZES = (process.env['BENCH_BATCH_SIZES'] ?? '500,1000,5000').split(',').map(Number);
const TARGET_EVENTS_PER_SECOND = 30_000;
/**
 * The projector reads the next page on one connection while it writes a batch on another,
 * and reads the balance rows a batch needs (the first time it meets a wallet) on a third.
 */
const PROJECTOR_CONNECTIONS = 3;

interface CatchUpRun {
  readonly batchSize: number;
  readonly eventsPerSecond: number;
  readonly seconds: number;
  readonly batches: number;
  readonly msPerBatch: number;
  /** CPU seconds of this Node process (decode, the projections' fold, encoding parameters). */
  readonly nodeCpuSeconds: number;
  /** CPU seconds of the PostgreSQL backends serving the projector, when they run on this machine. */
  readonly postgresCpuSeconds: number | null;
  /** The same two per event. */
  readonly nodeCpuMicrosPerEvent: number;
  readonly postgresCpuMicrosPerEvent: number | null;
  /** Load average over the last minute at the end of the run: other work on the machine shows here. */
  readonly loadAverage1m: number;
}

/**
 * Projector catch-up rate: appends a backlog of EVENTS events over WALLETS wallets straight
 * to the event store, then, for each batch size, empties the read model and times
 * `Projector.catchUp()` over the whole backlog, in this process. Prints a table and writes
 * JSON to bench/results/.
 */
async function main(): Promise<void> {
  const database = await createBenchDatabase();
  try {
    const generationS = await withEventStore(database.url, APPEND_CONCURRENCY, async (pool, store) => {
      await migrate(pool, allMigrations);
      const backlog = { events: EVENTS, wallets: WALLETS, eventsPerAppend: 1_000, walletsPerAppend: 100, concurrency: APPEND_CONCURRENCY };
      return (await timed(() => appendBacklog(store, { ...backlog, start: new Date(Date.now() - EVENTS * 1_000) }))).seconds;
    });
    const runs = await withProjectorPool(database.url, async (pool, store) => {
      // Sets hint bits and the visibility map once, so that no run pays for it alone.
      const vacuum = await timed(() => pool.query('vacuum (analyze) event_store.events'));
      console.log(`appended ${EVENTS} events over ${WALLETS} wallets in ${round(generationS, 1)} s (${Math.round(EVENTS / generationS)} events/s); vacuum ${round(vacuum.seconds, 1)} s`);
      const results: CatchUpRun[] = [];
      for (const batchSize of BATCH_SIZES) {
        await resetReadModel(pool);
        results.push(await catchUp(pool, store, batchSize));
        console.log(`batch size ${batchSize}: ${results[results.length - 1]!.eventsPerSecond} events/s`);
      }
      return results;
    });
    report(database.postgresVersion, generationS, runs);
  } finally {
    await database.drop();
  }
}

async function catchUp(pool: Pool, store: PostgresEventStore, batchSize: number): Promise<CatchUpRun> {
  let batches = 0;
  let projected = 0;
  const projector = new Projector({
    pool,
    store,
    snapshotEvery: SNAPSHOT_EVERY,
    batchSizeMax: batchSize,
    log: () => undefined,
    onBatch: (events) => {
      batches += 1;
      projected += events.length;
    },
  });
  // The figures are those of the store's lean read of the log, which the projector uses, not of readAll.
  if (projector.readsLog !== 'lean') throw new Error(`The projector reads the log with the ${projector.readsLog} read, not the lean one.`);
  const backends = await backendPids(pool);
  const backend = backendCpu(backends);
  const cpuBefore = process.cpuUsage();
  const { seconds } = await timed(() => projector.catchUp());
  const cpu = process.cpuUsage(cpuBefore);
  const postgresCpuSeconds = backend === null ? null : (backendCpu(backends) ?? 0) - backend;
  if (projected !== EVENTS) throw new Error(`Projected ${projected} events, expected ${EVENTS}.`);
  await assertConsistent(pool);
  const nodeCpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    batchSize,
    eventsPerSecond: Math.round(EVENTS / seconds),
    seconds: round(seconds, 1),
    batches,
    msPerBatch: round((seconds * 1_000) / batches, 1),
    nodeCpuSeconds: round(nodeCpuSeconds, 1),
    postgresCpuSeconds: postgresCpuSeconds === null ? null : round(postgresCpuSeconds, 1),
    nodeCpuMicrosPerEvent: round((nodeCpuSeconds * 1e6) / EVENTS, 1),
    postgresCpuMicrosPerEvent: postgresCpuSeconds === null ? null : round((postgresCpuSeconds * 1e6) / EVENTS, 1),
    loadAverage1m: round(loadavg()[0]!, 1),
  };
}

/** Every wallet has its balance row, and it counts the transactions the log recorded. */
async function assertConsistent(pool: Pool): Promise<void> {
  const { rows } = await pool.query<{ wallets: number; balances: number; counted: string; transactions: string }>(
    `select (select count(*)::int from read_model.wallets) as wallets, (select count(*)::int from read_model.balances) as balances,
            (select sum(transaction_count) from read_model.balances) as counted, (select count(*) from read_model.transactions) as transactions`,
  );
  const row = rows[0]!;
  if (row.wallets !== WALLETS || row.balances !== WALLETS || row.counted !== row.transactions) {
    throw new Error(`Read model inconsistent after catch-up: ${JSON.stringify(row)}`);
  }
}

/** Empties every table of the read model, checkpoint included: the next run starts from 0. */
async function resetReadModel(pool: Pool): Promise<void> {
  const { rows } = await pool.query<{ tables: string }>(
    "select string_agg(format('%I.%I', schemaname, tablename), ', ') as tables from pg_tables where schemaname = 'read_model'",
  );
  await pool.query(`truncate ${rows[0]!.tables}`);
}

/**
 * A pool of PROJECTOR_CONNECTIONS connections that stay open for the whole run (so that their
 * backends, and the CPU time they use, can be followed), and the event store on it.
 */
function withProjectorPool<T>(databaseUrl: string, work: (pool: Pool, store: PostgresEventStore) => Promise<T>): Promise<T> {
  return withEventStore(databaseUrl, PROJECTOR_CONNECTIONS, work, { idleTimeoutMillis: 0 });
}

/** The backend of every connection of the pool, all opened now if they were not yet. */
async function backendPids(pool: Pool): Promise<number[]> {
  const clients = await Promise.all(Array.from({ length: PROJECTOR_CONNECTIONS }, () => pool.connect()));
  try {
    return await Promise.all(clients.map(async (client) => (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid));
  } finally {
    for (const client of clients) client.release();
  }
}

/** CPU seconds used so far by these backends, if they run on this machine. */
function backendCpu(pids: readonly number[]): number | null {
  let seconds = 0;
  for (const pid of pids) {
    const path = `/proc/${pid}/stat`;
    if (!existsSync(path)) return null;
    // Fields 14 and 15 (utime, stime) in clock ticks, after the parenthesised command name.
    const stat = readFileSync(path, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    seconds += (Number(fields[11]) + Number(fields[12])) / 100;
  }
  return seconds;
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = process.hrtime.bigint();
  const result = await work();
  return { result, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

function report(postgresVersion: string, generationSeconds: number, runs: readonly CatchUpRun[]): void {
  const best = Math.max(...runs.map((run) => run.eventsPerSecond));
  const summary: SummaryRow[] = [
    atLeast('catch-up', 'events/s (best batch size)', best, 'events/s', TARGET_EVENTS_PER_SECOND),
    ...runs.map((run) => figure('catch-up', `events/s, batches of ${run.batchSize}`, run.eventsPerSecond, 'events/s')),
  ];
  const figures = {
    scenario: 'catch-up',
    machine: machine(postgresVersion),
    events: EVENTS,
    wallets: WALLETS,
    snapshotEvery: SNAPSHOT_EVERY,
    generation: { seconds: round(generationSeconds, 1), eventsPerSecond: Math.round(EVENTS / generationSeconds) },
    runs,
    // Other work on the machine shows here.
    loadAverage1m: round(loadavg()[0]!, 1),
    summary,
  };
  console.table(
    Object.fromEntries(
      runs.map((run) => [
        `batch ${run.batchSize}`,
        {
          'events/s': run.eventsPerSecond,
          's': run.seconds,
          'batches': run.batches,
          'ms/batch': run.msPerBatch,
          'node CPU s': run.nodeCpuSeconds,
          'postgres CPU s': run.postgresCpuSeconds,
          'node µs/event': run.nodeCpuMicrosPerEvent,
          'postgres µs/event': run.postgresCpuMicrosPerEvent,
          'load 1m': run.loadAverage1m,
        },
      ]),
    ),
  );
  console.log(`machine: ${JSON.stringify(figures.machine)}; ${EVENTS} events over ${WALLETS} wallets, snapshot every ${SNAPSHOT_EVERY}`);
  console.log(`written to ${writeResults('catch-up', figures)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
