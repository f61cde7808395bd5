import { envInteger } from './results';
import { newestResult } from './result-files';

/** The suite, in the order it runs: writes first, then the long generations. */
export const SUITE = ['append', 'http-credit', 'hot-wallet', 'payment-lifecycle', 'transfer', 'hot-transfer', 'webhooks', 'catch-up', 'history', 'search'] as const;

/**
 * Rough seconds each scenario takes with the current environment on a small machine
 * (2 cores): setup, generation and measurement. A guess until a suite has run once.
 */
const ROUGH_SECONDS: Record<string, () => number> = {
  // Three systems, each warmed up for 1 s, then the rounds.
  'append': () => 3 * (1 + envInteger('BENCH_ROUNDS', 3) * envInteger('BENCH_DURATION_S', 10)) + 10,
  'http-credit': () => envInteger('BENCH_WALLETS', 10_000) / 250 + 2 * (2 + envInteger('BENCH_ROUNDS', 3) * envInteger('BENCH_DURATION_S', 10)) + 15,
  'hot-wallet': () => 2 + envInteger('BENCH_ROUNDS', 3) * envInteger('BENCH_DURATION_S', 10) + 10,
  // Opening and funding the wallets (two requests each), then the lifecycle and credit loads alternating.
  'payment-lifecycle': () => envInteger('BENCH_WALLETS', 1_000) / 125 + 2 * (2 + envInteger('BENCH_ROUNDS', 3) * envInteger('BENCH_DURATION_S', 10)) + 15,
  // Opening and funding the wallets (two requests each), then the API and the ledger floor alternating.
  'transfer': () => envInteger('BENCH_WALLETS', 1_000) / 125 + 2 * (2 + envInteger('BENCH_ROUNDS', 2) * envInteger('BENCH_DURATION_S', 15)) + 15,
  // Opening the wallets (one request each), then the API and the ledger floor alternating.
  'hot-transfer': () => envInteger('BENCH_WALLETS', 1_000) / 250 + 2 * (2 + envInteger('BENCH_ROUNDS', 2) * envInteger('BENCH_DURATION_S', 15)) + 15,
  // The backlog appended, projected and delivered (~10,000 events/s each), wallets opened, then the credit load.
  'webhooks': () => (3 * envInteger('BENCH_EVENTS', 50_000)) / 10_000 + envInteger('BENCH_WALLETS', 1_000) / 250 + 2 + envInteger('BENCH_ROUNDS', 2) * envInteger('BENCH_DURATION_S', 10) + 15,
  'catch-up': () => {
    const batchSizes = (process.env['BENCH_BATCH_SIZES'] ?? '500,1000,5000').split(',').length;
    return (envInteger('BENCH_EVENTS', 1_000_000) / 15_000) * (1 + batchSizes) + 10;
  },
  'history': () => {
    // Generation, then the projector's catch-up, both about 17,000 events/s; then 4 reads of ~4 ms per request.
    const events = envInteger('BENCH_TRANSACTIONS', 1_000_000) * 1.25;
    return (2 * events) / 17_000 + envInteger('BENCH_ROUNDS', 5) * envInteger('BENCH_REQUESTS', 1_000) * 4 * 0.004 + 20;
  },
  'search': () => {
    // Generation and projection of both datasets (about 1.1 events per transaction), then 7 series on 2 datasets at ~5 ms a request.
    const events = (envInteger('BENCH_SEARCH_TRANSACTIONS', 1_000_000) + envInteger('BENCH_SEARCH_SMALL_TRANSACTIONS', 1_000)) * 1.1;
    return events / 17_000 + events / 40_000 + envInteger('BENCH_ROUNDS', 3) * envInteger('BENCH_REQUESTS', 300) * 14 * 0.005 + 30;
  },
};

export interface ScenarioEstimate {
  readonly scenario: string;
  readonly seconds: number;
  /** Where the figure comes from: the last suite's timing, or a rough guess. */
  readonly basis: 'last suite' | 'rough';
}

/** The BENCH_* settings of this run: timings of a suite run with other settings do not apply. */
export function benchEnvironment(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[0].startsWith('BENCH_') && entry[1] !== undefined).sort());
}

/**
 * Seconds per scenario: as long as it took in the newest suite result when that ran with
 * the same BENCH_* settings, else the rough figure.
 */
export function estimateSuite(scenarios: readonly string[]): ScenarioEstimate[] {
  const last = newestResult('suite')?.figures;
  const sameSettings = JSON.stringify(last?.['environment']) === JSON.stringify(benchEnvironment());
  const ran = sameSettings && Array.isArray(last?.['scenarios']) ? (last['scenarios'] as { scenario: string; seconds: number; status: string }[]) : [];
  const timed = new Map(ran.filter((s) => s.status === 'ran').map((s) => [s.scenario, s.seconds]));
  return scenarios.map((scenario) => {
    const seconds = timed.get(scenario);
    return seconds === undefined ? { scenario, seconds: Math.round(ROUGH_SECONDS[scenario]?.() ?? 60), basis: 'rough' } : { scenario, seconds, basis: 'last suite' };
  });
}

export function formatDuration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return minutes === 0 ? `${Math.round(seconds)} s` : `${minutes} min ${String(Math.round(seconds % 60)).padStart(2, '0')} s`;
}
