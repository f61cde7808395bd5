import { randomInt, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { allMigrations } from '../libs/database/src';
import { migrate } from '../libs/postgres/src';
import { walletStream } from '../libs/wallet-domain/src';
import { type AppendTarget, connectionsClosed, creditEvent, ourStoreTarget, rawInsertTarget } from './support/append-targets';
import { createBenchDatabase, withEventStore } from './support/bench-database';
import { emmettTarget } from './support/emmett-target';
import { envInteger, machine, median, percentile, round, writeResults } from './support/results';
import { atLeast, figure, type SummaryRow } from './support/summary';
import { type AttemptOutcome, runWriters } from './support/writer-loop';

const ROUNDS = envInteger('BENCH_ROUNDS', 3);
const DURATION_S = envInteger('BENCH_DURATION_S', 10);
const WRITERS = 16;
const STREAMS = 1_000;
const POOL_MAX = 16;
const WARM_UP_MS = 1_000;

interface RoundFigures {
  readonly appendsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly conflicts: number;
  readonly errors: number;
  readonly firstError?: string;
}

/** A system under test, the revision each of its streams is known to be at, and its successful appends. */
interface System {
  readonly target: AppendTarget;
  readonly counts: number[];
  appended: number;
  readonly rounds: RoundFigures[];
}

/**
 * Single-event appends with an expected revision: WRITERS writers in this process append
 * to STREAMS streams at random, on this project's store, on Emmett's PostgreSQL store and
 * as a bare INSERT, all in one database. The systems take turns for ROUNDS rounds of
 * DURATION_S seconds each, so that whatever else the machine does falls on all of them.
 * Prints the medians and writes JSON to bench/results/.
 */
async function main(): Promise<void> {
  const database = await createBenchDatabase();
  let storePoolClosed = Promise.resolve();
  try {
    await withEventStore(database.url, POOL_MAX, async (pool, store) => {
      await migrate(pool, allMigrations);
      const targets = [
        ourStoreTarget(store, pool),
        await emmettTarget(database.url, POOL_MAX),
        await rawInsertTarget(new Pool({ connectionString: database.url, max: POOL_MAX })),
      ];
      try {
        const streams = Array.from({ length: STREAMS }, () => walletStream(randomUUID()));
        const systems: System[] = targets.map((target) => ({ target, counts: new Array<number>(STREAMS).fill(0), appended: 0, rounds: [] }));
        for (const system of systems) await measure(system, streams, WARM_UP_MS);
        for (let roundIndex = 0; roundIndex < ROUNDS; roundIndex += 1) {
          // Each round starts with the next system, so that none always follows the same one.
          for (let turn = 0; turn < systems.length; turn += 1) {
            const system = systems[(roundIndex + turn) % systems.length]!;
            system.rounds.push(await measure(system, streams, DURATION_S * 1_000));
            console.log(`round ${roundIndex + 1}, ${system.target.name}: ${JSON.stringify(system.rounds[system.rounds.length - 1])}`);
          }
        }
        await report(database.postgresVersion, systems);
      } finally {
        for (const target of targets) await target.close();
        // withEventStore ends this pool next; the database is dropped only once its connections have closed.
        storePoolClosed = connectionsClosed(pool);
      }
    });
  } finally {
    await storePoolClosed;
    await database.drop();
  }
}

async function measure(system: System, streams: readonly string[], durationMs: number): Promise<RoundFigures> {
  const run = await runWriters(WRITERS, durationMs, () => appendOnce(system, streams));
  system.appended += run.ok;
  return {
    appendsPerSecond: Math.round(run.ok / run.seconds),
    p50Ms: round(percentile(run.latenciesMs, 50)),
    p99Ms: round(percentile(run.latenciesMs, 99)),
    conflicts: run.conflicts,
    errors: run.errors,
    ...(run.firstError === undefined ? {} : { firstError: run.firstError }),
  };
}

/** One event to a random stream at the revision known for it; on a conflict, learns the stream's revision from the store. */
async function appendOnce({ target, counts }: System, streams: readonly string[]): Promise<AttemptOutcome> {
  const index = randomInt(streams.length);
  const stream = streams[index]!;
  const known = counts[index]!;
  if (await target.append(stream, known, creditEvent(stream))) {
    counts[index] = Math.max(counts[index]!, known + 1);
    return 'ok';
  }
  const current = await target.count(stream, known);
  counts[index] = Math.max(counts[index]!, current);
  return 'conflict';
}

async function report(postgresVersion: string, systems: readonly System[]): Promise<void> {
  const medians = systems.map(({ target, rounds }) => ({
    system: target.name,
    appendsPerSecond: median(rounds.map((r) => r.appendsPerSecond)),
    p50Ms: round(median(rounds.map((r) => r.p50Ms))),
    p99Ms: round(median(rounds.map((r) => r.p99Ms))),
    conflicts: median(rounds.map((r) => r.conflicts)),
    errors: median(rounds.map((r) => r.errors)),
  }));
  const [ours, emmett, raw] = medians as [(typeof medians)[0], (typeof medians)[0], (typeof medians)[0]];
  const ratios = { toEmmett: round(ours.appendsPerSecond / emmett.appendsPerSecond), toRawInsert: round(ours.appendsPerSecond / raw.appendsPerSecond) };
  // Every successful append is one row, no more: nothing lost, nothing invented.
  const rowCheck = await Promise.all(systems.map(async ({ target, appended }) => ({ system: target.name, appended, rows: await target.total() })));
  const summary: SummaryRow[] = [
    ...medians.map((m) => figure('append', `appends/s, ${m.system}`, m.appendsPerSecond, 'appends/s')),
    ...medians.map((m) => figure('append', `p99 append, ${m.system}`, m.p99Ms, 'ms')),
    atLeast('append', 'ratio to Emmett', ratios.toEmmett, '×', 5),
    atLeast('append', 'ratio to raw INSERT', ratios.toRawInsert, '×', 1),
  ];
  const figures = {
    scenario: 'append',
    machine: machine(postgresVersion),
    parameters: { rounds: ROUNDS, durationS: DURATION_S, writers: WRITERS, streams: STREAMS, poolMax: POOL_MAX, warmUpMs: WARM_UP_MS },
    rounds: Object.fromEntries(systems.map(({ target, rounds }) => [target.name, rounds])),
    medians,
    ratios,
    rowCheck,
    summary,
  };
  console.table(Object.fromEntries(medians.map(({ system, ...m }) => [system, m])));
  console.log(`ours / Emmett: ${ratios.toEmmett} (target ≥ 5); ours / raw INSERT: ${ratios.toRawInsert} (target ≥ 1)`);
  for (const check of rowCheck) {
    console.log(`${check.system}: ${check.appended} successful appends, ${check.rows} rows${check.rows === check.appended ? '' : ' — MISMATCH'}`);
  }
  console.log(`machine: ${JSON.stringify(figures.machine)}`);
  console.log(`written to ${writeResults('append', figures)}`);
  if (rowCheck.some((check) => check.rows !== check.appended)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
