import type { RoundFigures, Run } from './load-rounds';
import { type CpuSnapshot, type CpuSources, cpuSnapshot, cpuSpent, procAvailable } from './process-cpu';
import { median, round } from './results';

/** CPU milliseconds per 2xx answer by process name, and `total`; null where unknown. */
export type CpuPerOk = Readonly<Record<string, number | null>>;

export const CPU_TOTAL = 'total';

/**
 * The CPU each process spends on each measured run of each target: a snapshot when a run
 * starts (LoadTarget.onRun: start) and one when it ends (onRunEnd: end). Warm-ups are not
 * kept. Runs never overlap, so everything a process spends between the two snapshots is
 * charged to that run, including work another target left behind (e.g. a projector
 * catching up with the previous target's events).
 */
export class RunCpuMeter {
  private before: CpuSnapshot | undefined;
  private readonly spent = new Map<string, CpuSnapshot[]>();

  constructor(private readonly sources: CpuSources) {}

  /** False without /proc (not Linux): every process but this one is unknown. */
  get known(): boolean {
    return procAvailable();
  }

  readonly start = (): void => {
    this.before = cpuSnapshot(this.sources);
  };

  end(target: string, run: Run): void {
    const after = cpuSnapshot(this.sources);
    if (run === 'warm-up' || this.before === undefined) return;
    const runs = this.spent.get(target) ?? [];
    runs.push(cpuSpent(this.before, after));
    this.spent.set(target, runs);
  }

  /**
   * CPU ms per 2xx answer of `target`, for each process and in total: the median over its
   * rounds of each round's CPU divided by that round's 2xx count (`rounds`, in order).
   */
  perOk(target: string, rounds: readonly RoundFigures[]): CpuPerOk {
    const runs = this.spent.get(target) ?? [];
    const perRound = runs.map((spent, index) => perOkOf(spent, rounds[index]?.ok ?? 0));
    const names = Object.keys(perRound[0] ?? {});
    return Object.fromEntries(
      names.map((name) => {
        const values = perRound.map((figures) => figures[name] ?? null);
        return [name, values.length === 0 || values.includes(null) ? null : round(median(values as number[]), 3)];
      }),
    );
  }
}

function perOkOf(spent: CpuSnapshot, ok: number): CpuPerOk {
  const ms = (seconds: number | null): number | null => (seconds === null || ok === 0 ? null : (seconds * 1_000) / ok);
  const values = Object.values(spent);
  const total = values.includes(null) ? null : values.reduce<number>((sum, seconds) => sum + seconds!, 0);
  return { ...Object.fromEntries(Object.entries(spent).map(([name, seconds]) => [name, ms(seconds)])), [CPU_TOTAL]: ms(total) };
}
