import { Client } from 'pg';
import { startBenchApi, startBenchServer, startLedgerFloorServer } from './bench-server';
import { type FloorAccount, seedFloorAccounts } from './ledger-floor';
import { type LoadPlan, type LoadTarget, type TargetFigures, runRounds } from './load-rounds';
import { postmasterOf } from './process-cpu';
import { unprojectedEvents } from './projection-lag';
import { envInteger } from './results';
import { type CpuPerOk, RunCpuMeter } from './run-cpu-meter';
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

/** The targets' names, as the rounds log them and the report shows them. */
export const API = 'api';
export const API_PAIR = 'api ×2';
export const FLOOR = 'floor';

export interface TransferRun {
  readonly postgresVersion: string;
  readonly api: TargetFigures;
  /** Two API processes on the database at once, half the connections each: when the scenario asks for them. */
  readonly apiPair: TargetFigures | undefined;
  readonly floor: TargetFigures;
  readonly log: GroupLog;
  /** CPU ms per 2xx transfer by target, then by process and in total; null without /proc (not Linux). */
  readonly cpu: Readonly<Record<string, CpuPerOk>> | null;
  /**
   * Events the projector had not applied at the end of each API target's last round: the
   * projector's CPU for them falls in later runs.
   */
  readonly unprojected: Readonly<Record<string, number>>;
}

/** The scenario's ports; `secondApi` adds the API ×2 target, a second API process on that port. */
export interface TransferPorts {
  readonly api: number;
  readonly floor: number;
  readonly secondApi?: number;
}

/**
 * The frame of the transfer scenarios: the API (ports of its own, so that it can run beside
 * another bench) and the ledger floor server on one fresh database, `setup` on the API,
 * the same accounts in the floor, then rounds alternating between the API's POST
 * /v1/transfers, maybe the same on two API processes at once, and the floor's same
 * request; the CPU every process spent on each round, and what the log holds afterwards.
 */
export async function runTransferScenario(ports: TransferPorts, setup: (baseUrl: string) => Promise<TransferSetup>): Promise<TransferRun> {
  const server = await startBenchServer(ports.api);
  try {
    const floor = await startLedgerFloorServer(server.databaseUrl, ports.floor);
    try {
      // As http-credit's compared API: same database, the projector staying the first API's.
      const second = ports.secondApi === undefined ? undefined : await startBenchApi(server.databaseUrl, ports.secondApi, { PROJECTOR_IN_PROCESS: 'false' });
      try {
        const { pick, floorAccounts, described } = await setup(server.baseUrl);
        await seedFloorAccounts(server.databaseUrl, floorAccounts);
        const plan = TRANSFER_PLAN;
        console.log(`${described}; transfers of ${TRANSFER_AMOUNT}, ${plan.connections} connections, ${plan.rounds} rounds of about ${plan.roundS} s per target`);
        const postmaster = await postmasterOf(server.databaseUrl);
        // A postgres found by name only may be serving other work too.
        console.log(`CPU of the database: ${postmaster === undefined ? 'every process named postgres on this machine' : `postmaster ${postmaster} and its children`}`);
        const meter = new RunCpuMeter({
          servers: {
            api: [server.pid, ...(second ? [second.pid] : [])],
            ...(server.projectorPid === undefined ? {} : { projector: [server.projectorPid] }),
            floor: [floor.pid],
          },
          postmaster,
        });
        const unprojected: Record<string, number> = {};
        const requests = transferRequests(pick, TRANSFER_AMOUNT);
        const target = (name: string, baseUrl: LoadTarget['baseUrl']): LoadTarget => ({
          name,
          baseUrl,
          requests,
          onRun: meter.start,
          onRunEnd: async (run) => {
            meter.end(name, run);
            if (name !== FLOOR && run === plan.rounds) unprojected[name] = await unprojectedEvents(server.databaseUrl);
          },
        });
        const targets = await runRounds(
          [target(API, server.baseUrl), ...(second ? [target(API_PAIR, [server.baseUrl, second.baseUrl])] : []), target(FLOOR, floor.baseUrl)],
          plan,
        );
        return {
          postgresVersion: server.postgresVersion,
          api: targets[API]!,
          apiPair: targets[API_PAIR],
          floor: targets[FLOOR]!,
          log: await groupLog(server.databaseUrl),
          cpu: meter.known ? Object.fromEntries(Object.entries(targets).map(([name, figures]) => [name, meter.perOk(name, figures.rounds)])) : null,
          unprojected,
        };
      } finally {
        await second?.stop();
      }
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

