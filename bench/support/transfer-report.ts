import { loadavg } from 'node:os';
import type { RoundFigures, TargetFigures } from './load-rounds';
import { machine, round, writeResults } from './results';
import { type SummaryRow, atLeast, atMost, figure } from './summary';
import { API, API_PAIR, FLOOR, type GroupLog, TRANSFER_AMOUNT, TRANSFER_PLAN, type TransferRun } from './transfer-scenario';

/** What a transfer scenario holds the API to: its rate against the floor's, and maybe its p99. */
export interface TransferTargets {
  readonly ratio: number;
  readonly p99Ms?: number;
}

/**
 * The lines a transfer scenario reports: rates, latencies, refusals, two API processes
 * side by side when they ran, the log check, groups per append, CPU per transfer.
 */
function transferSummary(scenario: string, run: TransferRun, targets: TransferTargets): SummaryRow[] {
  const { api, apiPair, floor, log } = run;
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
    ...(apiPair ? pairSummary(scenario, apiPair) : []),
    // Every answered 201 (warm-up included) must be in the log; a request without an answer may have committed too.
    atLeast(scenario, 'groups in the log − 201s answered', log.groups - answered201(run), 'groups', 0),
    figure(scenario, 'appends holding the groups', log.appends, 'appends'),
    figure(scenario, 'groups per append', groupsPerAppend(log), 'groups'),
    ...cpuSummary(scenario, run),
    ...Object.entries(run.unprojected).map(([target, events]) => figure(scenario, `events not yet projected at the end of the last round, ${target}`, events, 'events')),
  ];
}

/** Two API processes at once: the rate and p99 of both, each one's rate, how evenly they share, the 5xx. */
function pairSummary(scenario: string, pair: TargetFigures): SummaryRow[] {
  const { median: m, total: t } = pair;
  return [
    figure(scenario, 'transfers/s, API ×2', m.okPerSecond, '/s'),
    figure(scenario, 'p99, API ×2 (the worse process)', m.latencyMs.p99, 'ms'),
    ...(m.byProcess ?? []).map((part, index) => figure(scenario, `transfers/s, API ×2, process ${index + 1}`, part.okPerSecond, '/s')),
    // Far below 1: one process starves the other of the hot wallet.
    figure(scenario, 'smaller / larger share, API ×2', shareRatio(m), '×'),
    figure(scenario, '5xx, API ×2, all rounds', t.status5xx, 'answers'),
    figure(scenario, '503 (retry later), API ×2, all rounds', t.status503, 'answers'),
  ];
}

/** CPU ms per 2xx transfer by target and process, where known. */
function cpuSummary(scenario: string, run: TransferRun): SummaryRow[] {
  return Object.entries(run.cpu ?? {}).flatMap(([target, perOk]) =>
    Object.entries(perOk)
      .filter((entry): entry is [string, number] => entry[1] !== null)
      .map(([process, ms]) => figure(scenario, `CPU ms per transfer, ${target}, ${process}`, ms, 'ms')),
  );
}

/** The smaller process's rate over the larger's: 1 when they share evenly. */
function shareRatio(figures: RoundFigures): number {
  const rates = (figures.byProcess ?? []).map((part) => part.okPerSecond);
  const largest = Math.max(...rates);
  return rates.length === 0 || largest === 0 ? 0 : round(Math.min(...rates) / largest);
}

/** The ratio of the API's rate to the floor's. */
const apiOverFloor = (run: TransferRun): number => round(run.api.median.okPerSecond / run.floor.median.okPerSecond);

/** Prints the tables and the checks, and writes bench/results/<scenario>-<time>.json. */
export function reportTransfers(scenario: string, run: TransferRun, targets: TransferTargets, details: Record<string, unknown>): void {
  const summary = transferSummary(scenario, run, targets);
  const { api, apiPair, floor, log } = run;
  const figures = {
    scenario,
    machine: machine(run.postgresVersion),
    plan: TRANSFER_PLAN,
    amount: TRANSFER_AMOUNT.toString(),
    ...details,
    api,
    apiPair: apiPair ?? null,
    floor,
    targets,
    ratio: { apiOverFloor: apiOverFloor(run), target: targets.ratio },
    log: { ...log, answered201: answered201(run), groupsPerAppend: groupsPerAppend(log) },
    cpuMsPerTransfer: run.cpu,
    eventsNotYetProjectedAtLastRound: run.unprojected,
    // Other work on the machine shows here.
    loadAverage1m: round(loadavg()[0]!, 1),
    summary,
  };
  const rows = [[API, api], ...(apiPair ? [[API_PAIR, apiPair] as const] : []), [FLOOR, floor]] as const;
  console.table(
    Object.fromEntries(
      rows.map(([name, target]) => {
        const { median: m, total: t } = target;
        const split = m.byProcess ? { 'per process 2xx/s': m.byProcess.map((part) => part.okPerSecond).join(' | ') } : {};
        return [
          name,
          { 'transfers/s (2xx)': m.okPerSecond, ...split, 'p50 ms': m.latencyMs.p50, 'p99 ms': m.latencyMs.p99, 'max ms': m.latencyMs.max, 'non-2xx, all rounds': t.non2xx, '503, all rounds': t.status503, 'errors, all rounds': t.errors },
        ];
      }),
    ),
  );
  reportCpu(run);
  for (const row of summary.filter((line) => line.target !== undefined)) {
    console.log(`${row.measure}: ${row.value} ${row.unit} (target ${row.target}: ${row.met ? 'met' : 'NOT met'})`);
  }
  if (apiPair) console.log(`API ×2: smaller / larger share ${shareRatio(apiPair.median)}, 5xx ${apiPair.total.status5xx} (503: ${apiPair.total.status503}) over all rounds`);
  console.log(`201s answered by the API: ${answered201(run)}; TransactionGroupRecorded in the log: ${log.groups}, in ${log.appends} appends (${groupsPerAppend(log)} groups per append)`);
  console.log(`machine: ${JSON.stringify(figures.machine)}, load ${figures.loadAverage1m}; medians of ${TRANSFER_PLAN.rounds} rounds`);
  console.log(`written to ${writeResults(scenario, figures)}`);
}

function reportCpu(run: TransferRun): void {
  if (run.cpu === null) {
    console.log('CPU per transfer: unknown (no /proc: not Linux)');
    return;
  }
  console.log('CPU ms per 2xx transfer, medians of rounds (each run is charged all a process spent during it):');
  console.table(Object.fromEntries(Object.entries(run.cpu).map(([target, perOk]) => [target, Object.fromEntries(Object.entries(perOk).map(([name, ms]) => [name, ms ?? 'unknown']))])));
  const lag = Object.entries(run.unprojected).map(([target, events]) => `${target} ${events}`);
  // The projector's work for these falls in the next runs: its figure under the API is partly deferred.
  console.log(`events not yet projected at the end of the last round: ${lag.join(', ')}`);
}

const answered201 = (run: TransferRun): number => [run.api, run.apiPair].reduce((total, target) => total + (target ? target.warmUp.ok + target.total.ok : 0), 0);

const groupsPerAppend = (log: GroupLog): number => (log.appends === 0 ? 0 : round(log.groups / log.appends));
