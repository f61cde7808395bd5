import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { Pool } from 'pg';
import type { PostgresEventStore } from '../libs/event-store/src';
import { migrate } from '../libs/read-model/src/database/migrate';
import { Projector } from '../libs/read-model/src/projector/projector';
import { createBenchDatabase, withEventStore } from './support/bench-database';
import { envInteger, machine, round, writeResults } from './support/results';
import { appendBacklog } from './support/wallet-history';

const EVENTS = envInteger('BENCH_EVENTS', 1_000_000);
const WALLETS = envInteger('BENCH_WALLETS', 10_000);
const SNAPSHOT_EVERY = envInteger('BENCH_SNAPSHOT_EVERY', 100);
const APPEND_CONCURRENCY = envInteger('BENCH_APPEND_CONCURRENCY', 2);
const BATCH_SIZES = (process.env['BENCH_BATCH_SIZES'] ?? '500,1000,5000').split(',').map(Number);

interface CatchUpRun {
  readonly batchSize: number;
  readonly eventsPerSecond: number;
  readonly seconds: number;
  readonly batches: number;
  readonly msPerBatch: number;
  /** CPU seconds of this Node process (decode, changeset, encoding parameters). */
  readonly nodeCpuSeconds: number;
  /** CPU seconds of the PostgreSQL backend serving the projector, when it runs on this machine. */
  readonly postgresCpuSeconds: number | null;
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
      await migrate(pool);
      const backlog = { events: EVENTS, wallets: WALLETS, eventsPerAppend: 1_000, walletsPerAppend: 100, concurrency: APPEND_CONCURRENCY };
      return (await timed(() => appendBacklog(store, { ...backlog, start: new Date(Date.now() - EVENTS * 1_000) }))).seconds;
    });
    // One connection: every batch runs on the same backend, whose CPU time is then measurable.
    const runs = await withEventStore(database.url, 1, async (pool, store) => {
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
  const backend = await backendCpu(pool);
  const cpuBefore = process.cpuUsage();
  const { seconds } = await timed(() => projector.catchUp());
  const cpu = process.cpuUsage(cpuBefore);
  const postgresCpuSeconds = backend === null ? null : ((await backendCpu(pool)) ?? 0) - backend;
  if (projected !== EVENTS) throw new Error(`Projected ${projected} events, expected ${EVENTS}.`);
  await assertConsistent(pool);
  return {
    batchSize,
    eventsPerSecond: Math.round(EVENTS / seconds),
    seconds: round(seconds, 1),
    batches,
    msPerBatch: round((seconds * 1_000) / batches, 1),
    nodeCpuSeconds: round((cpu.user + cpu.system) / 1e6, 1),
    postgresCpuSeconds: postgresCpuSeconds === null ? null : round(postgresCpuSeconds, 1),
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

/** CPU seconds used so far by the backend of the pool's one connection, if it runs here. */
async function backendCpu(pool: Pool): Promise<number | null> {
  const { rows } = await pool.query<{ pid: number }>('select pg_backend_pid() as pid');
  const path = `/proc/${rows[0]!.pid}/stat`;
  if (!existsSync(path)) return null;
  // Fields 14 and 15 (utime, stime) in clock ticks, after the parenthesised command name.
  const stat = readFileSync(path, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = process.hrtime.bigint();
  const result = await work();
  return { result, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

function report(postgresVersion: string, generationSeconds: number, runs: readonly CatchUpRun[]): void {
  const figures = {
    scenario: 'catch-up',
    machine: machine(postgresVersion),
    events: EVENTS,
    wallets: WALLETS,
    snapshotEvery: SNAPSHOT_EVERY,
    generation: { seconds: round(generationSeconds, 1), eventsPerSecond: Math.round(EVENTS / generationSeconds) },
    runs,
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
