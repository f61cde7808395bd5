import autocannon from 'autocannon';
import { Client } from 'pg';
import { startBenchServer } from './support/bench-server';
import { machine, writeResults } from './support/results';

const WALLETS = Number(process.env['BENCH_WALLETS'] ?? 1000);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 32);
const DURATION_S = Number(process.env['BENCH_DURATION_S'] ?? 15);

/**
 * Confirmed credits per second over HTTP: CONNECTIONS clients crediting WALLETS wallets at
 * random, each 201 sent only after the events committed. Prints a table and writes JSON to
 * bench/results/.
 */
async function main(): Promise<void> {
  const server = await startBenchServer();
  try {
    const walletIds = await openWallets(server.baseUrl, WALLETS);
    const result = await autocannon({
      url: server.baseUrl,
      connections: CONNECTIONS,
      duration: DURATION_S,
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          setupRequest: (request) => ({
            ...request,
            path: `/v1/wallets/${walletIds[Math.floor(Math.random() * walletIds.length)]}/transactions`,
            body: '{"type":"credit","amount":"100"}',
          }),
        },
      ],
    });
    const recorded = await countCredits(server.databaseUrl);
    const figures = {
      scenario: 'http-credit',
      machine: machine(server.postgresVersion),
      wallets: WALLETS,
      connections: CONNECTIONS,
      durationS: DURATION_S,
      creditsPerSecond: Math.round(result['2xx'] / DURATION_S),
      latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
      non2xx: result.non2xx,
      errors: result.errors,
      creditsAnswered201: result['2xx'],
      creditsRecordedInLog: recorded,
    };
    console.table({
      'credits/s (201 only)': figures.creditsPerSecond,
      'latency p50 ms': figures.latencyMs.p50,
      'latency p99 ms': figures.latencyMs.p99,
      'non-2xx': figures.non2xx,
      'transport errors': figures.errors,
      '201 answered': figures.creditsAnswered201,
      // In-flight requests at the end commit but are not counted by the load generator.
      'credits in the log': figures.creditsRecordedInLog,
    });
    console.log(`machine: ${JSON.stringify(figures.machine)}; ${WALLETS} wallets, ${CONNECTIONS} connections, ${DURATION_S} s`);
    writeResults('http-credit', figures);
  } finally {
    await server.stop();
  }
}

async function openWallets(baseUrl: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += CONNECTIONS) {
    const batch = Array.from({ length: Math.min(CONNECTIONS, count - start) }, async () => {
      const response = await fetch(`${baseUrl}/v1/wallets`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"bench","currency":"USD"}' });
      return ((await response.json()) as { id: string }).id;
    });
    ids.push(...(await Promise.all(batch)));
  }
  return ids;
}

async function countCredits(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ count: string }>("select count(*) from event_store.events where type = 'FundsCredited'");
    return Number(rows[0]!.count);
  } finally {
    await client.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
