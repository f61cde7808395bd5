import { loadavg } from 'node:os';
import { Client } from 'pg';
import { envPairs, startBareInsertServer, startBenchApi, startBenchServer } from './support/bench-server';
import { type LoadPlan, type TargetFigures, runRounds } from './support/load-rounds';
import { peakRssMB } from './support/peak-memory';
import { UNPROJECTED_EVENTS_SQL } from './support/projection-lag';
import { envInteger, machine, round, writeResults } from './support/results';
import { type SummaryRow, atLeast, atMost, figure } from './support/summary';
import { creditRequests, openWallets } from './support/wallet-client';

const CONNECTIONS = envInteger('BENCH_CONNECTIONS', 64);
const WALLETS = envInteger('BENCH_WALLETS', 10_000);
const PLAN: LoadPlan = { connections: CONNECTIONS, rounds: envInteger('BENCH_ROUNDS', 3), roundS: envInteger('BENCH_DURATION_S', 10), warmUpS: 2 };
const RATIO_TARGET = 0.8;
const PEAK_RSS_TARGET_MB = 300;
/** The target name of the second API process (BENCH_COMPARE_API_ENV). */
const COMPARED = 'api-compared';

interface Compared {
  readonly label: string;
  readonly figures: TargetFigures;
  readonly peakInFlight: number | null;
}

/**
 * Confirmed credits per second over HTTP, end to end (201 only once the events committed),
 * against the floor of a durable HTTP write: a bare Fastify route doing one INSERT per
 * request, on the same PostgreSQL database with the same pool size. Both servers run in
 * processes of their own, the load generator in this one; rounds alternate between them.
 * Then checks that the log holds at least as many credits as were answered 201, and reads
 * the API's peak memory. Prints a table and writes JSON to bench/results/.
 */
async function main(): Promise<void> {
  const server = await startBenchServer();
  try {
    const bare = await startBareInsertServer(server.databaseUrl);
    try {
      // At most 64 at a time: a flood's worth (BENCH_CONNECTIONS=500) would be shed by MAX_IN_FLIGHT.
      const walletIds = await openWallets(server.baseUrl, WALLETS, Math.min(CONNECTIONS, 64));
      console.log(`${WALLETS} wallets open; ${CONNECTIONS} connections, ${PLAN.rounds} rounds of about ${PLAN.roundS} s per target`);
      const requests = creditRequests(walletIds);
      // BENCH_COMPARE_API_ENV="MAX_IN_FLIGHT=1000000": a second API process with that environment
      // (same database, same projector) joins the rounds, alternating with the first.
      const compareEnv = envPairs(process.env['BENCH_COMPARE_API_ENV'] ?? '');
      const compareLabel = Object.entries(compareEnv).map(([name, value]) => `${name}=${value}`).join(' ');
      const compare = compareLabel ? await startBenchApi(server.databaseUrl, 3097, { PROJECTOR_IN_PROCESS: 'false', ...compareEnv }) : undefined;
      try {
        const targets = await runRounds(
          [
            { name: 'api', baseUrl: server.baseUrl, requests },
            ...(compare ? [{ name: COMPARED, baseUrl: compare.baseUrl, requests }] : []),
            { name: 'bare', baseUrl: bare.baseUrl, requests },
          ],
          PLAN,
        );
        const peakRss = peakRssMB(server.pid);
        const peakInFlight = await peakInFlightOf(server.baseUrl);
        const compared = compare ? { label: compareLabel, figures: targets[COMPARED]!, peakInFlight: await peakInFlightOf(compare.baseUrl) } : undefined;
        const { recorded, unprojected } = await logFigures(server.databaseUrl);
        report(server.postgresVersion, targets['api']!, targets['bare']!, peakRss, peakInFlight, recorded, unprojected, compared);
      } finally {
        await compare?.stop();
      }
    } finally {
      await bare.stop();
    }
  } finally {
    await server.stop();
  }
}

/** The most requests the API had in flight at once (what MAX_IN_FLIGHT counts), from its metrics. */
async function peakInFlightOf(baseUrl: string): Promise<number | null> {
  const text = await fetch(`${baseUrl}/metrics`).then((response) => response.text(), () => '');
  const match = /^http_requests_in_flight_peak (\d+)$/m.exec(text);
  return match ? Number(match[1]) : null;
}

/** Credits in the log, and events the projector had not applied yet when the load stopped. */
async function logFigures(databaseUrl: string): Promise<{ recorded: number; unprojected: number }> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ recorded: string; unprojected: string }>(
      `select (select count(*) from event_store.events where type = 'FundsCredited') as recorded,
              ${UNPROJECTED_EVENTS_SQL} as unprojected`,
    );
    return { recorded: Number(rows[0]!.recorded), unprojected: Number(rows[0]!.unprojected) };
  } finally {
    await client.end();
  }
}

function report(
  postgresVersion: string,
  api: TargetFigures,
  bare: TargetFigures,
  peakRss: number | null,
  peakInFlight: number | null,
  recorded: number,
  unprojected: number,
  compared?: Compared,
): void {
  const ratio = round(api.median.okPerSecond / bare.median.okPerSecond);
  // Every answered 201 (warm-up included) must be in the log; a request without an answer may have committed too.
  const answered201 = api.warmUp.ok + api.total.ok + (compared ? compared.figures.warmUp.ok + compared.figures.total.ok : 0);
  const summary: SummaryRow[] = [
    figure('http-credit', 'credits/s, API', api.median.okPerSecond, '/s'),
    figure('http-credit', 'credits/s, bare insert', bare.median.okPerSecond, '/s'),
    atLeast('http-credit', 'ratio API / bare', ratio, '×', RATIO_TARGET),
    figure('http-credit', 'p50, API', api.median.latencyMs.p50, 'ms'),
    figure('http-credit', 'p99, API', api.median.latencyMs.p99, 'ms'),
    atLeast('http-credit', 'credits in the log − 201s answered', recorded - answered201, 'credits', 0),
    figure('http-credit', 'events not yet projected when the load stopped', unprojected, 'events'),
  ];
  if (peakRss !== null) summary.push(atMost('http-credit', 'peak RSS of the API', round(peakRss, 1), 'MB', PEAK_RSS_TARGET_MB));
  if (peakInFlight !== null) summary.push(figure('http-credit', 'peak requests in flight in the API', peakInFlight, 'requests'));
  if (compared) {
    summary.push(
      figure('http-credit', `credits/s, API with ${compared.label}`, compared.figures.median.okPerSecond, '/s'),
      figure('http-credit', `ratio API / API with ${compared.label}`, round(api.median.okPerSecond / compared.figures.median.okPerSecond), '×'),
      figure('http-credit', `p99, API with ${compared.label}`, compared.figures.median.latencyMs.p99, 'ms'),
    );
  }
  const figures = {
    scenario: 'http-credit',
    machine: machine(postgresVersion),
    wallets: WALLETS,
    plan: PLAN,
    api,
    bare,
    ratio: { apiOverBare: ratio, target: RATIO_TARGET },
    apiPeakRssMB: peakRss === null ? null : round(peakRss, 1),
    apiPeakInFlight: peakInFlight,
    compared: compared ?? null,
    creditsAnswered201: answered201,
    creditsRecordedInLog: recorded,
    eventsNotYetProjected: unprojected,
    // Other work on the machine shows here.
    loadAverage1m: round(loadavg()[0]!, 1),
    summary,
  };
  console.table(
    Object.fromEntries(
      [['api', api] as const, ...(compared ? [[`api, ${compared.label}`, compared.figures] as const] : []), ['bare', bare] as const].map(([name, target]) => {
        const { median: m, total: t } = target;
        return [name, { 'credits/s (2xx)': m.okPerSecond, 'p50 ms': m.latencyMs.p50, 'p99 ms': m.latencyMs.p99, 'max ms': m.latencyMs.max, 'non-2xx, all rounds': t.non2xx, 'errors, all rounds': t.errors }];
      }),
    ),
  );
  console.log(`ratio API/bare: ${ratio} (target ≥ ${RATIO_TARGET}: ${ratio >= RATIO_TARGET ? 'met' : 'NOT met'})`);
  console.log(`API peak RSS (VmHWM): ${peakRss === null ? 'unknown (no /proc)' : `${round(peakRss, 1)} MB`} (target ≤ ${PEAK_RSS_TARGET_MB} MB)`);
  console.log(`API peak requests in flight: ${peakInFlight ?? 'unknown'}${compared ? `; with ${compared.label}: ${compared.peakInFlight ?? 'unknown'}` : ''}`);
  console.log(`201s answered by the API: ${answered201}; FundsCredited events in the log: ${recorded} (${recorded >= answered201 ? 'none lost' : 'LOST CREDITS'})`);
  console.log(`events the projector had not applied when the load stopped: ${unprojected}`);
  console.log(`machine: ${JSON.stringify(figures.machine)}, load ${figures.loadAverage1m}; medians of ${PLAN.rounds} rounds`);
  console.log(`written to ${writeResults('http-credit', figures)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
