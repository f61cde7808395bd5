import { loadavg } from 'node:os';
import { Client } from 'pg';
import { startBenchServer } from './support/bench-server';
import { AUTHORISED, CAPTURED, INCREASE, type KindFigures, KindRecorder, LIFECYCLE_KINDS, type LifecycleKind, REVERSED, lifecycleRequests } from './support/lifecycle-requests';
import { type LoadPlan, type TargetFigures, runRounds } from './support/load-rounds';
import { envInteger, machine, median, round, writeResults } from './support/results';
import { type SummaryRow, atLeast, figure } from './support/summary';
import { creditRequests, fundWallets, openWallets } from './support/wallet-client';

const SCENARIO = 'payment-lifecycle';
const CONNECTIONS = envInteger('BENCH_CONNECTIONS', 64);
const WALLETS = envInteger('BENCH_WALLETS', 1_000);
const PLAN: LoadPlan = { connections: CONNECTIONS, rounds: envInteger('BENCH_ROUNDS', 3), roundS: envInteger('BENCH_DURATION_S', 10), warmUpS: 2 };
/** Enough for every payment of the run: each keeps 30 of the 100 it authorised. */
const FUNDING = 1_000_000_000_000n;
/** Its own port, so that it can run beside another bench's API. */
const PORT = 3096;
/** The event each accepted command appends, to check that the log holds every answered 2xx. */
const EVENT_OF: Record<LifecycleKind, string> = { authorise: 'HoldPlaced', increase: 'HoldIncreased', capture: 'HoldCaptured', reverse: 'TransactionReversed' };

/**
 * The payment lifecycle over HTTP on BENCH_WALLETS wallets with BENCH_CONNECTIONS
 * connections: each connection walks payments through authorise (a pending debit),
 * increase, capture part (final, the rest released) and reverse part, each command waiting
 * for the one before. Rounds alternate with http-credit's load (a credit to a random wallet)
 * on the same API and wallets, so both figures come from one run on one machine state.
 * Reports commands per second and p99 per command kind beside the credits, checks that the
 * log holds an event for every 2xx answered, and writes JSON to bench/results/.
 */
async function main(): Promise<void> {
  const server = await startBenchServer(PORT);
  try {
    const walletIds = await openWallets(server.baseUrl, WALLETS, Math.min(CONNECTIONS, 64));
    await fundWallets(server.baseUrl, walletIds, FUNDING);
    console.log(`${WALLETS} wallets open and funded; ${CONNECTIONS} connections, ${PLAN.rounds} rounds of about ${PLAN.roundS} s per load`);
    const recorder = new KindRecorder();
    const targets = await runRounds(
      [
        { name: 'lifecycle', baseUrl: server.baseUrl, requests: lifecycleRequests(walletIds, recorder), onRun: (run) => recorder.startRun(run) },
        { name: 'credit', baseUrl: server.baseUrl, requests: creditRequests(walletIds) },
      ],
      PLAN,
    );
    const perKind = kindFigures(recorder, targets['lifecycle']!);
    const logged = await eventCounts(server.databaseUrl);
    report(server.postgresVersion, targets['lifecycle']!, targets['credit']!, perKind, recorder, logged);
  } finally {
    await server.stop();
  }
}

/** Each kind's figures: the median over the rounds of its rate and percentiles, and its counts summed. */
function kindFigures(recorder: KindRecorder, lifecycle: TargetFigures): Record<LifecycleKind, KindFigures> {
  const byKind = LIFECYCLE_KINDS.map((kind) => {
    const rounds = lifecycle.rounds.map((figures, index) => recorder.figures(index + 1, kind, figures.seconds));
    const middle = (pick: (f: KindFigures) => number) => round(median(rounds.map(pick)), 1);
    const sum = (pick: (f: KindFigures) => number) => rounds.reduce((total, f) => total + pick(f), 0);
    return [kind, { ok: sum((f) => f.ok), refused: sum((f) => f.refused), okPerSecond: Math.round(middle((f) => f.okPerSecond)), p50Ms: middle((f) => f.p50Ms), p99Ms: middle((f) => f.p99Ms) }];
  });
  return Object.fromEntries(byKind) as Record<LifecycleKind, KindFigures>;
}

/** How many events of each lifecycle type the log holds. */
async function eventCounts(databaseUrl: string): Promise<Record<string, number>> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ type: string; count: string }>('select type, count(*) from event_store.events where type = any($1) group by type', [Object.values(EVENT_OF)]);
    return Object.fromEntries(rows.map((row) => [row.type, Number(row.count)]));
  } finally {
    await client.end();
  }
}

function report(
  postgresVersion: string,
  lifecycle: TargetFigures,
  credit: TargetFigures,
  perKind: Record<LifecycleKind, KindFigures>,
  recorder: KindRecorder,
  logged: Record<string, number>,
): void {
  // Every answered 2xx (warm-up included) must be in the log; a request without an answer may have committed too.
  const unlogged = LIFECYCLE_KINDS.map((kind) => (logged[EVENT_OF[kind]] ?? 0) - recorder.answeredOk(kind));
  const summary: SummaryRow[] = [
    figure(SCENARIO, 'lifecycle commands/s (all four kinds)', lifecycle.median.okPerSecond, '/s'),
    figure(SCENARIO, 'payments/s (reversals answered)', perKind.reverse.okPerSecond, '/s'),
    ...LIFECYCLE_KINDS.flatMap((kind) => [figure(SCENARIO, `${kind}/s`, perKind[kind].okPerSecond, '/s'), figure(SCENARIO, `p99, ${kind}`, perKind[kind].p99Ms, 'ms')]),
    figure(SCENARIO, 'p99, lifecycle commands', lifecycle.median.latencyMs.p99, 'ms'),
    figure(SCENARIO, 'credits/s, http-credit load in the same run', credit.median.okPerSecond, '/s'),
    figure(SCENARIO, 'p99, credits in the same run', credit.median.latencyMs.p99, 'ms'),
    figure(SCENARIO, 'ratio lifecycle commands / credits', round(lifecycle.median.okPerSecond / credit.median.okPerSecond), '×'),
    figure(SCENARIO, 'lifecycle commands refused (non-2xx), all rounds', lifecycle.total.non2xx, 'requests'),
    atLeast(SCENARIO, 'events in the log − 2xx answered (least over the kinds)', Math.min(...unlogged), 'events', 0),
  ];
  const figures = {
    scenario: SCENARIO,
    machine: machine(postgresVersion),
    wallets: WALLETS,
    plan: PLAN,
    payment: { authorised: AUTHORISED.toString(), increase: INCREASE.toString(), captured: CAPTURED.toString(), reversed: REVERSED.toString() },
    lifecycle,
    perKind,
    credit,
    eventsInLog: logged,
    // Other work on the machine shows here.
    loadAverage1m: round(loadavg()[0]!, 1),
    summary,
  };
  console.table(Object.fromEntries(LIFECYCLE_KINDS.map((kind) => [kind, { '2xx/s': perKind[kind].okPerSecond, 'p50 ms': perKind[kind].p50Ms, 'p99 ms': perKind[kind].p99Ms, 'non-2xx, all rounds': perKind[kind].refused }])));
  console.table(
    Object.fromEntries(
      [['lifecycle, all kinds', lifecycle] as const, ['http-credit load', credit] as const].map(([name, { median: m, total: t }]) => [
        name,
        { 'commands/s (2xx)': m.okPerSecond, 'p50 ms': m.latencyMs.p50, 'p99 ms': m.latencyMs.p99, 'non-2xx, all rounds': t.non2xx, 'errors, all rounds': t.errors },
      ]),
    ),
  );
  console.log(`events in the log − 2xx answered, per kind: ${LIFECYCLE_KINDS.map((kind, index) => `${kind} ${unlogged[index]}`).join(', ')} (${Math.min(...unlogged) >= 0 ? 'none lost' : 'LOST COMMANDS'})`);
  console.log(`machine: ${JSON.stringify(figures.machine)}, load ${figures.loadAverage1m}; medians of ${PLAN.rounds} rounds`);
  console.log(`written to ${writeResults(SCENARIO, figures)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
