import { Agent } from 'node:http';
import { loadavg } from 'node:os';
import { allMigrations } from '../libs/database/src';
import { migrate } from '../libs/postgres/src';
import { Projector } from '../libs/read-model/src/projector/projector';
import { type BenchDatabase, createBenchDatabase, withEventStore } from './support/bench-database';
import { type BenchApi, startBenchApi } from './support/bench-server';
import { getJsonOver } from './support/kept-alive-get';
import { envInteger, machine, median, percentile, round, writeResults } from './support/results';
import { type SearchDataset, appendSearchDataset } from './support/search-dataset';
import { SEARCH_SERIES, type SearchSeries, foldTotalsAt, randomPosition, totalsMismatch } from './support/search-series';
import { type ScanCounts, scanCounts, scansSince } from './support/scan-counts';
import { type SummaryRow, atMost, figure } from './support/summary';

const LARGE_TRANSACTIONS = envInteger('BENCH_SEARCH_TRANSACTIONS', 1_000_000);
const SMALL_TRANSACTIONS = envInteger('BENCH_SEARCH_SMALL_TRANSACTIONS', 1_000);
const PER_WALLET = envInteger('BENCH_SEARCH_PER_WALLET', 500);
const APPEND_CONCURRENCY = envInteger('BENCH_APPEND_CONCURRENCY', 2);
const ROUNDS = envInteger('BENCH_ROUNDS', 3);
const REQUESTS = envInteger('BENCH_REQUESTS', 300);
const WARM_UP_REQUESTS = 30;
const P99_RATIO_TARGET = 1.5;
/** The projector as the API runs it by default (PROJECTOR_BATCH_SIZE, SNAPSHOT_EVERY): totals history rows come one per batch. */
const PROJECTOR_BATCH = 1_000;
const SNAPSHOT_EVERY = 100;

type Size = 'small' | 'large';

interface Prepared {
  readonly size: Size;
  readonly database: BenchDatabase;
  readonly dataset: SearchDataset;
  readonly generationS: number;
  readonly projectionS: number;
}

interface Target extends Prepared {
  readonly api: BenchApi;
}

/**
 * Reference lookups, metadata searches and totals at a past position, at LARGE_TRANSACTIONS
 * transactions against SMALL_TRANSACTIONS, each on a database of its own with the same
 * shape per wallet. Each dataset is appended straight to the event store, projected by the
 * service's own projector, analysed, then read over HTTP through the built API (one process
 * per database), the two alternating request by request, ROUNDS rounds of REQUESTS requests
 * per series. Prints a table and writes JSON to bench/results/.
 */
async function main(): Promise<void> {
  const prepared: Prepared[] = [];
  const apis: BenchApi[] = [];
  try {
    prepared.push(await prepare('small', SMALL_TRANSACTIONS));
    prepared.push(await prepare('large', LARGE_TRANSACTIONS));
    const targets: Target[] = [];
    for (const [index, one] of prepared.entries()) {
      const api = await startBenchApi(one.database.url, 3099 - 2 * index);
      apis.push(api);
      targets.push({ ...one, api });
    }
    const series = await availableSeries(targets);
    const large = targets.find((target) => target.size === 'large')!;
    const before = await scanCounts(large.database.url);
    const rounds = await measure(targets, series);
    report(targets, series, rounds, await scansSince(large.database.url, before));
  } finally {
    for (const api of apis) await api.stop();
    for (const one of prepared) await one.database.drop();
  }
}

/** A database holding `transactions`, projected and analysed; the totals at a past position checked against a fold of its log. */
async function prepare(size: Size, transactions: number): Promise<Prepared> {
  const database = await createBenchDatabase();
  try {
    return await withEventStore(database.url, Math.max(3, APPEND_CONCURRENCY), async (pool, store) => {
      await migrate(pool, allMigrations);
      let started = Date.now();
      const dataset = await appendSearchDataset(store, {
        transactions,
        transactionsPerWallet: PER_WALLET,
        walletsPerAppend: 20,
        concurrency: APPEND_CONCURRENCY,
        start: new Date(Date.now() - transactions * 20),
      });
      const generationS = (Date.now() - started) / 1_000;
      started = Date.now();
      await new Projector({ pool, store, snapshotEvery: SNAPSHOT_EVERY, batchSizeMax: PROJECTOR_BATCH, log: () => undefined }).catchUp();
      const projectionS = (Date.now() - started) / 1_000;
      // Statistics as autovacuum would leave them in steady state, not those of an empty table.
      await pool.query('vacuum (analyze)');
      console.log(
        `${size}: ${dataset.transactions} transactions, ${dataset.groups} groups, ${dataset.wallets.length} wallets, ${dataset.lastPosition} events ` +
          `appended in ${round(generationS, 1)} s, projected in ${round(projectionS, 1)} s`,
      );
      return { size, database, dataset, generationS, projectionS };
    });
  } catch (error) {
    await database.drop();
    throw error;
  }
}

/**
 * The series both APIs answer: a route or parameter not built yet is left out (and said so);
 * an answer that is wrong stops the run. Totals are also checked at a past position against
 * a fold of the log.
 */
async function availableSeries(targets: readonly Target[]): Promise<SearchSeries[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const available: SearchSeries[] = [];
    for (const series of SEARCH_SERIES) {
      const missing = await missingFrom(targets[0]!.api.baseUrl, series);
      if (missing !== undefined) {
        console.log(`${series.name}: left out, ${missing}`);
        continue;
      }
      for (const target of targets) {
        const probe = series.probe(target.dataset);
        const wrong = probe.wrong(await getJsonOver(target.api.baseUrl, agent, probe.path));
        if (wrong !== undefined) throw new Error(`${target.size}: GET ${probe.path} answered wrong: ${wrong}`);
      }
      if (series.name === 'totals/past') for (const target of targets) await checkPastTotals(target, agent);
      available.push(series);
    }
    return available;
  } finally {
    agent.destroy();
  }
}

/** Why the API cannot serve the series yet (its route or parameter is not in the OpenAPI document), or undefined. */
async function missingFrom(baseUrl: string, series: SearchSeries): Promise<string | undefined> {
  const document = (await (await fetch(`${baseUrl}/docs/json`)).json()) as { paths: Record<string, { get?: { parameters?: { name: string }[] } }> };
  const operation = document.paths[series.route]?.get;
  if (operation === undefined) return `the API has no GET ${series.route}`;
  const named = (operation.parameters ?? []).some((parameter) => parameter.name === series.parameter || parameter.name.startsWith(`${series.parameter}[`));
  return named ? undefined : `GET ${series.route} takes no ${series.parameter} parameter`;
}

async function checkPastTotals(target: Target, agent: Agent): Promise<void> {
  const position = randomPosition(target.dataset, Math.random);
  const folded = await withEventStore(target.database.url, 1, (_, store) => foldTotalsAt(store, position));
  const answer = (await getJsonOver(target.api.baseUrl, agent, `/v1/totals?currency=USD&atPosition=${position}`)) as Record<string, unknown>;
  const wrong = totalsMismatch(answer, folded.wallets, folded.totals);
  if (wrong !== undefined) throw new Error(`${target.size}: totals at position ${position}: ${wrong}`);
}

type Round = Record<string, Record<Size, { p50: number; p99: number }>>;

async function measure(targets: readonly Target[], series: readonly SearchSeries[]): Promise<Round[]> {
  const agents = targets.map(() => new Agent({ keepAlive: true, maxSockets: 1 }));
  try {
    await measureRound(targets, agents, series, WARM_UP_REQUESTS);
    const rounds: Round[] = [];
    for (let i = 0; i < ROUNDS; i += 1) {
      rounds.push(await measureRound(targets, agents, series, REQUESTS));
      console.log(`round ${i + 1} of ${ROUNDS} done`);
    }
    return rounds;
  } finally {
    for (const agent of agents) agent.destroy();
  }
}

/** `requests` reads of every series on both targets, interleaved request by request, the targets' order swapping each time. */
async function measureRound(targets: readonly Target[], agents: readonly Agent[], series: readonly SearchSeries[], requests: number): Promise<Round> {
  const latencies = new Map<string, number[]>();
  for (let i = 0; i < requests; i += 1) {
    const order = i % 2 === 0 ? [0, 1] : [1, 0];
    for (const one of series) {
      for (const index of order) {
        const target = targets[index]!;
        const path = one.path(target.dataset, Math.random);
        const started = process.hrtime.bigint();
        await getJsonOver(target.api.baseUrl, agents[index]!, path);
        const key = `${one.name}/${target.size}`;
        if (!latencies.has(key)) latencies.set(key, []);
        latencies.get(key)!.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    }
  }
  const stats = (key: string) => {
    const sorted = (latencies.get(key) ?? []).sort((a, b) => a - b);
    return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
  };
  return Object.fromEntries(series.map((one) => [one.name, { small: stats(`${one.name}/small`), large: stats(`${one.name}/large`) }]));
}

function report(targets: readonly Target[], series: readonly SearchSeries[], rounds: readonly Round[], scans: ScanCounts): void {
  const medianOf = (name: string, size: Size, of: 'p50' | 'p99') => round(median(rounds.map((r) => r[name]![size][of])));
  const table = Object.fromEntries(
    series.map((one) => {
      const [small, large] = [medianOf(one.name, 'small', 'p99'), medianOf(one.name, 'large', 'p99')];
      return [one.name, { 'p50 ms small': medianOf(one.name, 'small', 'p50'), 'p50 ms large': medianOf(one.name, 'large', 'p50'), 'p99 ms small': small, 'p99 ms large': large, 'p99 large / small': round(large / small) }];
    }),
  );
  const [small, large] = [targets.find((t) => t.size === 'small')!, targets.find((t) => t.size === 'large')!];
  const lines: SummaryRow[] = series.flatMap((one) => [
    atMost('search', `p99 ${one.label}, ${large.dataset.transactions} / ${small.dataset.transactions} transactions`, table[one.name]!['p99 large / small'], '×', P99_RATIO_TARGET),
    figure('search', `p99 ${one.label}, ${large.dataset.transactions} transactions`, table[one.name]!['p99 ms large'], 'ms'),
  ]);
  const figures = {
    scenario: 'search',
    machine: machine(large.database.postgresVersion),
    datasets: Object.fromEntries(
      targets.map((t) => [t.size, { transactions: t.dataset.transactions, groups: t.dataset.groups, wallets: t.dataset.wallets.length, events: t.dataset.events, generationS: round(t.generationS, 1), projectionS: round(t.projectionS, 1) }]),
    ),
    transactionsPerWallet: PER_WALLET,
    rounds: ROUNDS,
    requestsPerSeriesPerRound: REQUESTS,
    series: series.map((one) => ({ name: one.name, label: one.label })),
    leftOut: SEARCH_SERIES.filter((one) => !series.includes(one)).map((one) => one.name),
    medians: table,
    // How the large dataset's read model was read during the timed rounds (and the warm-up).
    scansDuringReads: scans,
    loadAverage1m: round(loadavg()[0]!, 1),
    perRound: rounds,
    summary: lines,
  };
  console.table(table);
  console.log(`large dataset, during the reads: sequential scans ${JSON.stringify(scans.seqScans)}; index scans ${JSON.stringify(scans.indexScans)}`);
  console.log(`machine: ${JSON.stringify(figures.machine)}, load ${figures.loadAverage1m}; ${ROUNDS} rounds of ${REQUESTS} requests per series and dataset`);
  console.log(`written to ${writeResults('search', figures)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
