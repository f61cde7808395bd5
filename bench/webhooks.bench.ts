import { loadavg } from 'node:os';
import { PostgresEventStore } from '../libs/event-store/src';
import { Pool } from 'pg';
import { startBenchServer } from './support/bench-server';
import { type LoadPlan, runRounds } from './support/load-rounds';
import { unprojectedEvents } from './support/projection-lag';
import { envInteger, machine, percentile, round, writeResults } from './support/results';
import { type SummaryRow, atLeast, figure } from './support/summary';
import { appendBacklog } from './support/wallet-history';
import { creditRequests, openWallets, postJson } from './support/wallet-client';
import { type SinkEndpoint, type WebhookSink, startWebhookSink } from './support/webhook-sink';

const BACKLOG_EVENTS = envInteger('BENCH_EVENTS', 50_000);
const WALLETS = envInteger('BENCH_WALLETS', 1_000);
const PLAN: LoadPlan = { connections: envInteger('BENCH_CONNECTIONS', 64), rounds: envInteger('BENCH_ROUNDS', 2), roundS: envInteger('BENCH_DURATION_S', 10), warmUpS: 2 };
/** Longest wait for an endpoint to receive what it is due, after the load stops. */
const DRAIN_TIMEOUT_MS = 120_000;

/**
 * Webhook delivery, as deployed (API and projector in processes of their own; delivery runs in
 * the projector's), to a local receiver that answers 204 at once:
 * 1. throughput: a backlog of BENCH_EVENTS events, projected first, then an endpoint created at
 *    position 0: events delivered per second until it has them all;
 * 2. lag: an endpoint created at the head while the http-credit load runs: per event, the time
 *    from being recorded to arriving at the receiver (p50, p99, max), and every event of the
 *    log after its start delivered in position order.
 */
async function main(): Promise<void> {
  const sink = await startWebhookSink();
  const server = await startBenchServer(3089, { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' });
  try {
    const throughput = await backlogThroughput(server.baseUrl, server.databaseUrl, sink);
    const walletIds = await openWallets(server.baseUrl, WALLETS, 64);
    const live = await createEndpoint(server.baseUrl, sink.url);
    const targets = await runRounds([{ name: 'api', baseUrl: server.baseUrl, requests: creditRequests(walletIds) }], PLAN);
    const due = await logPositions(server.databaseUrl, BigInt(live.after));
    const drainS = await drain(sink.endpoint(live.id), due.length);
    const lag = lagFigures(sink.endpoint(live.id));
    const order = orderCheck(sink.endpoint(live.id).positions, due);
    report(server.postgresVersion, throughput, targets['api']!.median.okPerSecond, lag, order, drainS);
  } finally {
    await server.stop();
    await sink.close();
  }
}

interface Throughput {
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly batches: number;
}

async function backlogThroughput(baseUrl: string, databaseUrl: string, sink: WebhookSink): Promise<Throughput> {
  const pool = new Pool({ connectionString: databaseUrl, max: 4 });
  const store = new PostgresEventStore(pool, { connectionString: databaseUrl });
  try {
    await appendBacklog(store, { events: BACKLOG_EVENTS, wallets: 500, eventsPerAppend: 1_000, walletsPerAppend: 100, concurrency: 2, start: new Date() });
  } finally {
    await store.close();
    await pool.end();
  }
  // The projector catches up first: what is measured is delivery, not two workers sharing the cores.
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  while ((await unprojectedEvents(databaseUrl)) > 0 && Date.now() < deadline) await sleep(200);
  const total = (await logPositions(databaseUrl, 0n)).length;
  const started = Date.now();
  const endpoint = await createEndpoint(baseUrl, sink.url, '0');
  const received = sink.endpoint(endpoint.id);
  while (new Set(received.positions).size < total && Date.now() - started < DRAIN_TIMEOUT_MS) await sleep(20);
  const seconds = ((received.lastAt ?? Date.now()) - started) / 1000;
  const events = new Set(received.positions).size;
  console.log(`backlog: ${events} of ${total} events delivered in ${round(seconds, 2)} s, ${received.batches} batches`);
  return { events, seconds: round(seconds, 2), eventsPerSecond: Math.round(events / seconds), batches: received.batches };
}

async function createEndpoint(baseUrl: string, url: string, after?: string): Promise<{ id: string; after: string }> {
  return postJson<{ id: string; after: string }>(`${baseUrl}/v1/webhook-endpoints`, { url, ...(after === undefined ? {} : { after }) });
}

async function logPositions(databaseUrl: string, after: bigint): Promise<bigint[]> {
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const { rows } = await pool.query<{ position: string }>('select position from event_store.events where position > $1 order by position', [after]);
    return rows.map((row) => BigInt(row.position));
  } finally {
    await pool.end();
  }
}

/** Waits until the endpoint has `due` distinct events; answers the seconds it took after the load. */
async function drain(received: SinkEndpoint, due: number): Promise<number> {
  const started = Date.now();
  while (new Set(received.positions).size < due && Date.now() - started < DRAIN_TIMEOUT_MS) await sleep(20);
  return round((Date.now() - started) / 1000, 2);
}

interface LagFigures {
  readonly events: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

function lagFigures(received: SinkEndpoint): LagFigures {
  const sorted = [...received.lagsMs].sort((a, b) => a - b);
  return { events: sorted.length, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: sorted[sorted.length - 1] ?? Number.NaN };
}

interface OrderCheck {
  readonly missing: number;
  readonly outOfOrder: number;
  readonly duplicates: number;
}

/** Against the log: events never delivered, arrivals before an earlier position, and repeats. */
function orderCheck(delivered: readonly bigint[], log: readonly bigint[]): OrderCheck {
  const seen = new Set<bigint>();
  let outOfOrder = 0;
  let duplicates = 0;
  let highest = -1n;
  for (const position of delivered) {
    if (seen.has(position)) duplicates += 1;
    else if (position < highest) outOfOrder += 1;
    seen.add(position);
    if (position > highest) highest = position;
  }
  return { missing: log.filter((position) => !seen.has(position)).length, outOfOrder, duplicates };
}

function report(postgresVersion: string, throughput: Throughput, creditsPerSecond: number, lag: LagFigures, order: OrderCheck, drainS: number): void {
  const summary: SummaryRow[] = [
    figure('webhooks', 'events delivered/s, backlog', throughput.eventsPerSecond, '/s'),
    figure('webhooks', 'credits/s during delivery (http-credit)', creditsPerSecond, '/s'),
    figure('webhooks', 'delivery lag p50 under load', lag.p50Ms, 'ms'),
    figure('webhooks', 'delivery lag p99 under load', lag.p99Ms, 'ms'),
    figure('webhooks', 'delivery lag max under load', lag.maxMs, 'ms'),
    figure('webhooks', 'seconds to drain after the load', drainS, 's'),
    atLeast('webhooks', 'events of the log never delivered (negated)', -order.missing, 'events', 0),
    atLeast('webhooks', 'events delivered out of order (negated)', -order.outOfOrder, 'events', 0),
  ];
  const figures = { scenario: 'webhooks', machine: machine(postgresVersion), plan: PLAN, backlogEvents: BACKLOG_EVENTS, throughput, creditsPerSecond, lag, order, drainS, loadAverage1m: round(loadavg()[0]!, 1), summary };
  console.table({
    backlog: { 'events/s': throughput.eventsPerSecond, events: throughput.events, seconds: throughput.seconds, batches: throughput.batches },
  });
  console.table({ 'live, during http-credit': { 'credits/s': creditsPerSecond, events: lag.events, 'lag p50 ms': lag.p50Ms, 'lag p99 ms': lag.p99Ms, 'lag max ms': lag.maxMs, 'drain s': drainS } });
  console.log(`order: ${order.missing} missing, ${order.outOfOrder} out of order, ${order.duplicates} delivered twice`);
  console.log(`machine: ${JSON.stringify(figures.machine)}, load ${figures.loadAverage1m}`);
  console.log(`written to ${writeResults('webhooks', figures)}`);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
