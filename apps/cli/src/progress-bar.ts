import { Presets, SingleBar } from 'cli-progress';

export interface ProgressBar {
  /** Shows `done` of `total`; the bar starts on the first call. */
  update(done: bigint, total: bigint): void;
  stop(): void;
}

/** A progress bar on stderr (drawn only on a terminal) for work counted in log positions. */
export function progressBar(label: string): ProgressBar {
  const bar = new SingleBar({ format: `${label} |{bar}| {percentage}% | {value}/{total} | {duration_formatted}`, hideCursor: true }, Presets.shades_classic);
  let started = false;
  return {
    update: (done, total) => {
      // Positions stay far below 2^53, where a number is exact.
      if (!started) bar.start(Number(total), Number(done));
      else bar.setTotal(Number(total));
      started = true;
      bar.update(Number(done));
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
