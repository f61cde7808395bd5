import { Agent } from 'node:http';
import { loadavg } from 'node:os';
import type { Pool } from 'pg';
import type { PostgresEventStore } from '../libs/event-store/src';
import { allMigrations } from '../libs/database/src';
import { migrate } from '../libs/postgres/src';
import { createBenchDatabase, withEventStore } from './support/bench-database';
import { startBenchApi } from './support/bench-server';
import { getJsonOver as getJson } from './support/kept-alive-get';
import { envInteger, machine, median, percentile, round, writeResults } from './support/results';
import { type SummaryRow, atMost, figure } from './support/summary';
import { WalletHistory, appendWalletHistory } from './support/wallet-history';

const LONG_TRANSACTIONS = envInteger('BENCH_TRANSACTIONS', 1_000_000);
const SHORT_TRANSACTIONS = 10;
const ROUNDS = envInteger('BENCH_ROUNDS', 5);
const REQUESTS = envInteger('BENCH_REQUESTS', 1_000);
const WARM_UP_REQUESTS = 50;
const CATCH_UP_TIMEOUT_S = envInteger('BENCH_CATCH_UP_TIMEOUT_S', 1_800);
const P99_RATIO_TARGET = 1.5;

/** The read routes measured: both must exist in the API's OpenAPI document. */
const ROUTES = ['/v1/wallets/{walletId}', '/v1/wallets/{walletId}/balance'];

interface Wallet {
  readonly label: 'short' | 'long';
  readonly id: string;
  readonly firstPosition: bigint;
  readonly lastPosition: bigint;
}

type Kind = 'balance' | 'pointInTime';
type Series = `${Kind}/${Wallet['label']}`;
const SERIES: readonly Series[] = ['balance/short', 'balance/long', 'pointInTime/short', 'pointInTime/long'];
const SERIES_NAMES: Record<Series, string> = {
  'balance/short': 'balance, short wallet',
  'balance/long': 'balance, long wallet',
  'pointInTime/short': 'point-in-time, short wallet',
  'pointInTime/long': 'point-in-time, long wallet',
};

/**
 * Balance and point-in-time reads: latency for a wallet with LONG_TRANSACTIONS transactions
 * against one with 10, alternating request by request, in ROUNDS rounds. The history is
 * appended straight to the event store, then the built API (projector in-process) catches
 * up before anything is timed. Prints a table and writes JSON to bench/results/.
 */
async function main(): Promise<void> {
  const database = await createBenchDatabase();
  try {
    await withEventStore(database.url, 2, async (pool, store) => {
      await migrate(pool, allMigrations);
      await assertReadRoutes(database.url);
      const started = Date.now();
      const short = await appendWallet(store, 'short', SHORT_TRANSACTIONS);
      const long = await appendWallet(store, 'long', LONG_TRANSACTIONS);
      const generationS = (Date.now() - started) / 1_000;
      console.log(`appended ${LONG_TRANSACTIONS + SHORT_TRANSACTIONS} transactions (${long.lastPosition} events) in ${round(generationS, 1)} s`);
      const api = await startBenchApi(database.url);
      try {
        const catchUpS = await waitForProjector(pool);
        console.log(`projector caught up in ${round(catchUpS, 1)} s`);
        // Statistics as autovacuum would leave them in steady state. Right after a bulk load they
        // are stale, and the point-in-time read's stream query may then read the whole rest of
        // the stream (see docs/performance.md).
        await pool.query('analyze');
        report(database.postgresVersion, long, generationS, catchUpS, await measure(api.baseUrl, [short, long]));
      } finally {
        await api.stop();
      }
    });
  } finally {
    await database.drop();
  }
}

/** Checks the long wallet's figures, warms up, then runs ROUNDS rounds. */
async function measure(baseUrl: string, wallets: readonly [Wallet, Wallet]): Promise<Round[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    await assertConsistent(baseUrl, agent, wallets[1]);
    await measureRound(baseUrl, agent, wallets, WARM_UP_REQUESTS);
    const rounds: Round[] = [];
    for (let i = 0; i < ROUNDS; i += 1) rounds.push(await measureRound(baseUrl, agent, wallets, REQUESTS));
    return rounds;
  } finally {
    agent.destroy();
  }
}

/** Fails before the long generation when the read routes are not built yet. */
async function assertReadRoutes(databaseUrl: string): Promise<void> {
  const api = await startBenchApi(databaseUrl);
  try {
    const document = (await (await fetch(`${api.baseUrl}/docs/json`)).json()) as { paths: Record<string, { get?: unknown }> };
    const missing = ROUTES.filter((route) => !document.paths[route]?.get);
    if (missing.length > 0) {
      throw new Error(`The API has no GET ${missing.join(', GET ')} yet (apps/wallet-api/src/queries): nothing to measure. Build once the read routes exist.`);
    }
  } finally {
    await api.stop();
  }
}

async function appendWallet(store: PostgresEventStore, label: Wallet['label'], transactions: number): Promise<Wallet> {
  // One event a second (1.25 per transaction), ending about now: the history crosses days, hence daily snapshots too.
  const history = new WalletHistory(new Date(Date.now() - transactions * 1_250), 1_000);
  const positions = await appendWalletHistory(store, history, (h) => h.transactions >= transactions, 1_000);
  return { label, id: history.walletId, ...positions };
}

/** Waits until the read model checkpoint reaches the head of the log; returns the seconds it took. */
async function waitForProjector(pool: Pool): Promise<number> {
  const started = Date.now();
  const deadline = started + CATCH_UP_TIMEOUT_S * 1_000;
  for (let lastLog = started; ; ) {
    const { rows } = await pool.query<{ head: string; checkpoint: string | null }>(
      `select (select max(position) from event_store.events) as head,
              (select position from read_model.projection_checkpoints where name = 'read_model') as checkpoint`,
    );
    const { head, checkpoint } = rows[0]!;
    if (checkpoint !== null && BigInt(checkpoint) >= BigInt(head)) return (Date.now() - started) / 1_000;
    if (Date.now() > deadline) throw new Error(`The projector did not catch up within ${CATCH_UP_TIMEOUT_S} s (at ${checkpoint} of ${head}).`);
    if (Date.now() - lastLog > 10_000) {
      console.log(`projector at ${checkpoint ?? 0} of ${head}`);
      lastLog = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The balance as of the last event must be the current balance. */
async function assertConsistent(baseUrl: string, agent: Agent, wallet: Wallet): Promise<void> {
  const current = (await getJson(baseUrl, agent, `/v1/wallets/${wallet.id}`)) as { balance: { ledger: string } };
  const atEnd = (await getJson(baseUrl, agent, `/v1/wallets/${wallet.id}/balance?atPosition=${wallet.lastPosition}`)) as { ledger: string };
  if (current.balance.ledger !== atEnd.ledger) {
    throw new Error(`Balance ${current.balance.ledger} but ${atEnd.ledger} as of position ${wallet.lastPosition}.`);
  }
}

type Round = Record<Series, { p50: number; p99: number }>;

/** `requests` reads of each series, interleaved request by request, the wallets' order swapping each time. */
async function measureRound(baseUrl: string, agent: Agent, wallets: readonly [Wallet, Wallet], requests: number): Promise<Round> {
  const latencies = Object.fromEntries(SERIES.map((series) => [series, [] as number[]])) as Record<Series, number[]>;
  for (let i = 0; i < requests; i += 1) {
    const ordered = i % 2 === 0 ? wallets : ([wallets[1], wallets[0]] as const);
    for (const kind of ['balance', 'pointInTime'] as const) {
      for (const wallet of ordered) {
        const path = kind === 'balance' ? `/v1/wallets/${wallet.id}` : `/v1/wallets/${wallet.id}/balance?atPosition=${randomPosition(wallet)}`;
        const started = process.hrtime.bigint();
        await getJson(baseUrl, agent, path);
        latencies[`${kind}/${wallet.label}`].push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    }
  }
  return Object.fromEntries(
    SERIES.map((series) => {
      const sorted = latencies[series].sort((a, b) => a - b);
      return [series, { p50: percentile(sorted, 50), p99: percentile(sorted, 99) }];
    }),
  ) as Round;
}

function randomPosition({ firstPosition, lastPosition }: Wallet): bigint {
  return firstPosition + BigInt(Math.floor(Math.random() * (Number(lastPosition - firstPosition) + 1)));
}

function report(postgresVersion: string, long: Wallet, generationS: number, catchUpS: number, rounds: readonly Round[]): void {
  const summary = Object.fromEntries(
    SERIES.map((series) => [series, { p50Ms: round(median(rounds.map((r) => r[series].p50))), p99Ms: round(median(rounds.map((r) => r[series].p99))) }]),
  ) as Record<Series, { p50Ms: number; p99Ms: number }>;
  const ratio = (kind: Kind, of: 'p50Ms' | 'p99Ms' = 'p99Ms'): number => round(summary[`${kind}/long`][of] / summary[`${kind}/short`][of]);
  const lines: SummaryRow[] = [
    atMost('history', 'balance p99, long / short wallet', ratio('balance'), '×', P99_RATIO_TARGET),
    atMost('history', 'point-in-time p99, long / short wallet', ratio('pointInTime'), '×', P99_RATIO_TARGET),
    ...SERIES.map((series) => figure('history', `p99, ${SERIES_NAMES[series]}`, summary[series].p99Ms, 'ms')),
  ];
  const figures = {
    scenario: 'history',
    machine: machine(postgresVersion),
    transactions: { long: LONG_TRANSACTIONS, short: SHORT_TRANSACTIONS },
    eventsInLog: Number(long.lastPosition),
    rounds: ROUNDS,
    requestsPerSeriesPerRound: REQUESTS,
    generationS: round(generationS, 1),
    projectorCatchUpS: round(catchUpS, 1),
    medians: summary,
    p99Ratio: { balance: ratio('balance'), pointInTime: ratio('pointInTime'), target: P99_RATIO_TARGET },
    p50Ratio: { balance: ratio('balance', 'p50Ms'), pointInTime: ratio('pointInTime', 'p50Ms') },
    // Other work on the machine shows here.
    loadAverage1m: round(loadavg()[0]!, 1),
    perRound: rounds,
    summary: lines,
  };
  console.table(
    Object.fromEntries(SERIES.map((series) => [series, { 'p50 ms (median)': summary[series].p50Ms, 'p99 ms (median)': summary[series].p99Ms }])),
  );
  for (const kind of ['balance', 'pointInTime'] as const) {
    const value = ratio(kind);
    console.log(`${kind}: p99 long/short = ${value} (target <= ${P99_RATIO_TARGET}: ${value <= P99_RATIO_TARGET ? 'met' : 'NOT met'}); p50 long/short = ${ratio(kind, 'p50Ms')}`);
  }
  console.log(`machine: ${JSON.stringify(figures.machine)}, load ${figures.loadAverage1m}; ${ROUNDS} rounds of ${REQUESTS} requests per series`);
  console.log(`written to ${writeResults('history', figures)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
