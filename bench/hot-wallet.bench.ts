import type autocannon from 'autocannon';
import { loadavg } from 'node:os';
import { startBenchServer } from './support/bench-server';
import { type LoadPlan, type TargetFigures, runRounds } from './support/load-rounds';
import { newestResult } from './support/result-files';
import { envInteger, machine, round, writeResults } from './support/results';
import { type SummaryRow, atLeast, atMost, figure } from './support/summary';
import { type CommandAnswer, JSON_HEADERS, getJson, openWallets, postJson, transactionRequestBody } from './support/wallet-client';

const CONNECTIONS = envInteger('BENCH_CONNECTIONS', 64);
const PLAN: LoadPlan = { connections: CONNECTIONS, rounds: envInteger('BENCH_ROUNDS', 3), roundS: envInteger('BENCH_DURATION_S', 10), warmUpS: 2 };
const FUNDING = 1_000_000_000_000n;
const CREDIT = 100n;
const DEBIT = 30n;
const P99_TARGET_MS = 100;
const RATE_RATIO_TARGET = 0.5;

type Kind = 'credit' | 'debit';

/** What the API accepted (201), by kind, and the highest position it answered. */
class Accepted {
  readonly count: Record<Kind, number> = { credit: 0, debit: 0 };
  maxPosition = 0n;

  record(kind: Kind, status: number, body: string): void {
    if (status !== 201) return;
    this.count[kind] += 1;
    const position = BigInt((JSON.parse(body) as CommandAnswer).position);
    if (position > this.maxPosition) this.maxPosition = position;
  }

  /** The ledger balance these commands leave on a wallet that held `opening`. */
  ledger(opening: bigint): bigint {
    return opening + BigInt(this.count.credit) * CREDIT - BigInt(this.count.debit) * DEBIT;
  }
}

/**
 * Contention on one wallet: CONNECTIONS clients sending credits and debits (2 : 1) to the
 * same wallet, funded first so that debits succeed. Reports the rate of successful
 * commands against http-credit's API rate (its newest result), latency and failures, then
 * checks conservation: the wallet's balance must be exactly the funding plus the accepted
 * credits minus the accepted debits. Prints a table and writes JSON to bench/results/.
 */
async function main(): Promise<void> {
  const server = await startBenchServer();
  try {
    const [walletId] = await openWallets(server.baseUrl, 1, 1);
    const transactions = `${server.baseUrl}/v1/wallets/${walletId}/transactions`;
    const funded = await postJson<CommandAnswer>(transactions, { type: 'credit', amount: FUNDING.toString() });
    const accepted = new Accepted();
    accepted.maxPosition = BigInt(funded.position);
    const request = (kind: Kind, amount: bigint): autocannon.Request => ({
      method: 'POST',
      path: `/v1/wallets/${walletId}/transactions`,
      headers: JSON_HEADERS,
      body: transactionRequestBody(kind, amount),
      onResponse: (status, body) => accepted.record(kind, status, body),
    });
    console.log(`one wallet funded with ${FUNDING}; ${CONNECTIONS} connections, credits of ${CREDIT} and debits of ${DEBIT} (2 : 1), ${PLAN.rounds} rounds of about ${PLAN.roundS} s`);
    const { api } = await runRounds([{ name: 'api', baseUrl: server.baseUrl, requests: [request('credit', CREDIT), request('credit', CREDIT), request('debit', DEBIT)] }], PLAN);
    // Read-your-writes: the read model answers once it has projected the last accepted command.
    const wallet = await getJson<{ balance: CommandAnswer['balance'] }>(`${server.baseUrl}/v1/wallets/${walletId}?minPosition=${accepted.maxPosition}`);
    report(server.postgresVersion, api!, accepted, BigInt(wallet.balance.ledger));
  } finally {
    await server.stop();
  }
}

/** http-credit's median API rate from its newest result, if there is one. */
function httpCreditRate(): { rate: number; path: string } | null {
  const newest = newestResult('http-credit');
  const rate = (newest?.figures['api'] as TargetFigures | undefined)?.median?.okPerSecond;
  return newest && typeof rate === 'number' ? { rate, path: newest.path } : null;
}

function report(postgresVersion: string, api: TargetFigures, accepted: Accepted, ledger: bigint): void {
  const expected = accepted.ledger(FUNDING);
  const difference = ledger - expected;
  const reference = httpCreditRate();
  // Failures count over the whole run, warm-up included.
  const failures = {
    status4xx: api.total.status4xx + api.warmUp.status4xx,
    status5xx: api.total.status5xx + api.warmUp.status5xx,
    errors: api.total.errors + api.warmUp.errors,
  };
  const ratio = reference === null ? null : round(api.median.okPerSecond / reference.rate);
  const summary: SummaryRow[] = [
    figure('hot-wallet', 'commands/s, one wallet', api.median.okPerSecond, '/s'),
    figure('hot-wallet', 'p50', api.median.latencyMs.p50, 'ms'),
    // The target is p99 < 100 ms.
    atMost('hot-wallet', 'p99', api.median.latencyMs.p99, 'ms', P99_TARGET_MS),
    atMost('hot-wallet', '5xx answers', failures.status5xx, 'answers', 0),
    figure('hot-wallet', '4xx answers', failures.status4xx, 'answers'),
    figure('hot-wallet', 'transport errors', failures.errors, 'requests'),
    atMost('hot-wallet', '|balance − (funding + credits − debits)|', Math.abs(Number(difference)), 'minor units', 0),
  ];
  if (ratio !== null) summary.push(atLeast('hot-wallet', 'rate / http-credit API rate', ratio, '×', RATE_RATIO_TARGET));
  const figures = {
    scenario: 'hot-wallet',
    machine: machine(postgresVersion),
    plan: PLAN,
    amounts: { funding: FUNDING.toString(), credit: CREDIT.toString(), debit: DEBIT.toString(), creditsPerDebit: 2 },
    api,
    failures,
    httpCreditReference: reference === null ? null : { ...reference, ratio, target: RATE_RATIO_TARGET },
    conservation: {
      acceptedCredits: accepted.count.credit,
      acceptedDebits: accepted.count.debit,
      expectedLedger: expected.toString(),
      ledger: ledger.toString(),
      matches: difference === 0n,
    },
    loadAverage1m: round(loadavg()[0]!, 1),
    summary,
  };
  const { median: m } = api;
  console.table({
    api: { 'commands/s (2xx)': m.okPerSecond, 'p50 ms': m.latencyMs.p50, 'p99 ms': m.latencyMs.p99, 'max ms': m.latencyMs.max, '4xx': failures.status4xx, '5xx': failures.status5xx, 'errors': failures.errors },
  });
  console.log(
    reference === null
      ? 'no http-credit result in bench/results/: no rate ratio (run npm run bench -- http-credit first)'
      : `rate / http-credit API rate (${reference.rate}/s, ${reference.path}): ${ratio} (target ≥ ${RATE_RATIO_TARGET})`,
  );
  console.log(`p99 ${m.latencyMs.p99} ms (target < ${P99_TARGET_MS} ms); 5xx ${failures.status5xx} (target 0); 4xx ${failures.status4xx}; transport errors ${failures.errors}`);
  console.log(
    `conservation: ${accepted.count.credit} credits and ${accepted.count.debit} debits accepted; ledger ${ledger}, expected ${expected}: ` +
      (difference === 0n ? 'matches' : `DIFFERS by ${difference}${failures.errors > 0 ? ` (${failures.errors} requests had no answer and may have committed)` : ''}`),
  );
  console.log(`machine: ${JSON.stringify(figures.machine)}, load ${figures.loadAverage1m}; medians of ${PLAN.rounds} rounds`);
  console.log(`written to ${writeResults('hot-wallet', figures)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
