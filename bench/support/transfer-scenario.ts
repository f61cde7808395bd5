import { loadavg } from 'node:os';
import { Client } from 'pg';
import { startBenchServer, startLedgerFloorServer } from './bench-server';
import { type FloorAccount, seedFloorAccounts } from './ledger-floor';
import { type LoadPlan, type TargetFigures, runRounds } from './load-rounds';
import { envInteger, machine, round, writeResults } from './results';
import { type SummaryRow, atLeast, atMost, figure } from './summary';
import { transferRequests } from './wallet-client';

/** The amount of every measured transfer. */
export const TRANSFER_AMOUNT = 100n;

export const TRANSFER_PLAN: LoadPlan = {
  connections: envInteger('BENCH_CONNECTIONS', 64),
  rounds: envInteger('BENCH_ROUNDS', 2),
  roundS: envInteger('BENCH_DURATION_S', 15),
  warmUpS: 2,
};

/** What a transfer scenario sets up on the API before the load. */
export interface TransferSetup {
  /** The two wallets of each transfer, drawn for every request. */
  readonly pick: () => readonly [string, string];
  /** The same wallets as the floor's accounts: ids, funding, which may go negative. */
  readonly floorAccounts: readonly FloorAccount[];
  /** Said before the rounds, e.g. "1000 wallets open and funded". */
  readonly described: string;
}

/** The groups the log holds, and how many appends (PostgreSQL transactions) wrote them. */
export interface GroupLog {
  readonly groups: number;
  readonly appends: number;
}

export interface TransferRun {
  readonly postgresVersion: string;
  readonly api: TargetFigures;
  readonly floor: TargetFigures;
  readonly log: GroupLog;
}

/**
 * The frame of the transfer scenarios: the API (ports of its own, so that it can run beside
 * another bench) and the ledger floor server on one fresh database, `setup` on the API,
 * the same accounts in the floor, then rounds alternating between the API's POST
 * /v1/transfers and the floor's same request, and what the log holds afterwards.
 */
export async function runTransferScenario(ports: { api: number; floor: number }, setup: (baseUrl: string) => Promise<TransferSetup>): Promise<TransferRun> {
  const server = await startBenchServer(ports.api);
  try {
    const floor = await startLedgerFloorServer(server.databaseUrl, ports.floor);
    try {
      const { pick, floorAccounts, described } = await setup(server.baseUrl);
      await seedFloorAccounts(server.databaseUrl, floorAccounts);
      const plan = TRANSFER_PLAN;
      console.log(`${described}; transfers of ${TRANSFER_AMOUNT}, ${plan.connections} connections, ${plan.rounds} rounds of about ${plan.roundS} s per target`);
      const requests = transferRequests(pick, TRANSFER_AMOUNT);
      const targets = await runRounds(
        [
          { name: 'api', baseUrl: server.baseUrl, requests },
          { name: 'floor', baseUrl: floor.baseUrl, requests },
        ],
        plan,
      );
      return { postgresVersion: server.postgresVersion, api: targets['api']!, floor: targets['floor']!, log: await groupLog(server.databaseUrl) };
    } finally {
      await floor.stop();
    }
  } finally {
    await server.stop();
  }
}

/**
 * Every TransactionGroupRecorded in the log and the distinct PostgreSQL transactions that
 * wrote them (the events of one append share `transaction_id`). The setups record no
 * group, so these are the load's, warm-up included.
 */
async function groupLog(databaseUrl: string): Promise<GroupLog> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ groups: string; appends: string }>(
      "select count(*) as groups, count(distinct transaction_id) as appends from event_store.events where type = 'TransactionGroupRecorded'",
    );
    return { groups: Number(rows[0]!.groups), appends: Number(rows[0]!.appends) };
  } finally {
    await client.end();
  }
}

/** What a transfer scenario holds the API to: its rate against the floor's, and maybe its p99. */
export interface TransferTargets {
  readonly ratio: number;
  readonly p99Ms?: number;
}

/** The lines a transfer scenario reports: rates, latencies, refusals, the log check, groups per append. */
function transferSummary(scenario: string, run: TransferRun, targets: TransferTargets): SummaryRow[] {
  const { api, floor, log } = run;
  const apiP99 = api.median.latencyMs.p99;
  return [
    figure(scenario, 'transfers/s, API', api.median.okPerSecond, '/s'),
    figure(scenario, 'transfers/s, ledger floor', floor.median.okPerSecond, '/s'),
    atLeast(scenario, 'ratio API / ledger floor', apiOverFloor(run), '×', targets.ratio),
    figure(scenario, 'p50, API', api.median.latencyMs.p50, 'ms'),
    targets.p99Ms === undefined ? figure(scenario, 'p99, API', apiP99, 'ms') : atMost(scenario, 'p99, API', apiP99, 'ms', targets.p99Ms),
    figure(scenario, 'p50, ledger floor', floor.median.latencyMs.p50, 'ms'),
    figure(scenario, 'p99, ledger floor', floor.median.latencyMs.p99, 'ms'),
    figure(scenario, 'non-2xx, API, all rounds', api.total.non2xx, 'answers'),
    figure(scenario, 'non-2xx, ledger floor, all rounds', floor.total.non2xx, 'answers'),
    // Every answered 201 (warm-up included) must be in the log; a request without an answer may have committed too.
    atLeast(scenario, 'groups in the log − 201s answered', log.groups - answered201(api), 'groups', 0),
    figure(scenario, 'appends holding the groups', log.appends, 'appends'),
    figure(scenario, 'groups per append', groupsPerAppend(log), 'groups'),
  ];
}

/** The ratio of the API's rate to the floor's. */
const apiOverFloor = (run: TransferRun): number => round(run.api.median.okPerSecond / run.floor.median.okPerSecond);

/** Prints the table and the checks, and writes bench/results/<scenario>-<time>.json. */
export function reportTransfers(scenario: string, run: TransferRun, targets: TransferTargets, details: Record<string, unknown>): void {
  const summary = transferSummary(scenario, run, targets);
  const { api, floor, log } = run;
  const figures = {
    scenario,
    machine: machine(run.postgresVersion),
    plan: TRANSFER_PLAN,
    amount: TRANSFER_AMOUNT.toString(),
    ...details,
    api,
    floor,
    targets,
    ratio: { apiOverFloor: apiOverFloor(run), target: targets.ratio },
    log: { ...log, answered201: answered201(api), groupsPerAppend: groupsPerAppend(log) },
    // Other work on the machine shows here.
    loadAverage1m: round(loadavg()[0]!, 1),
    summary,
  };
  console.table(
    Object.fromEntries(
      [['api', api] as const, ['floor', floor] as const].map(([name, target]) => {
        const { median: m, total: t } = target;
        return [name, { 'transfers/s (2xx)': m.okPerSecond, 'p50 ms': m.latencyMs.p50, 'p99 ms': m.latencyMs.p99, 'max ms': m.latencyMs.max, 'non-2xx, all rounds': t.non2xx, 'errors, all rounds': t.errors }];
      }),
    ),
  );
  for (const row of summary.filter((line) => line.target !== undefined)) {
    console.log(`${row.measure}: ${row.value} ${row.unit} (target ${row.target}: ${row.met ? 'met' : 'NOT met'})`);
  }
  console.log(`201s answered by the API: ${answered201(api)}; TransactionGroupRecorded in the log: ${log.groups}, in ${log.appends} appends (${groupsPerAppend(log)} groups per append)`);
  console.log(`machine: ${JSON.stringify(figures.machine)}, load ${figures.loadAverage1m}; medians of ${TRANSFER_PLAN.rounds} rounds`);
  console.log(`written to ${writeResults(scenario, figures)}`);
}

const answered201 = (api: TargetFigures): number => api.warmUp.ok + api.total.ok;

const groupsPerAppend = (log: GroupLog): number => (log.appends === 0 ? 0 : round(log.groups / log.appends));

