/** What one attempt of a writer came to; an exception counts as an error. */
export type AttemptOutcome = 'ok' | 'conflict';

export interface WriterRun {
  /** From the start until the last writer finished its last attempt. */
  readonly seconds: number;
  readonly ok: number;
  readonly conflicts: number;
  readonly errors: number;
  /** Latency of each successful attempt, ascending. */
  readonly latenciesMs: readonly number[];
  readonly firstError?: string;
}

/**
 * Runs `writers` async loops in this process, each calling `attempt` back to back until
 * `durationMs` have passed, and counts what came of the attempts. Only successful attempts
 * are timed: a conflict's cost is in the throughput.
 */
export async function runWriters(writers: number, durationMs: number, attempt: () => Promise<AttemptOutcome>): Promise<WriterRun> {
  const latenciesMs: number[] = [];
  let conflicts = 0;
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const deadline = started + durationMs;
  const writer = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const attemptStarted = performance.now();
      try {
        if ((await attempt()) === 'ok') latenciesMs.push(performance.now() - attemptStarted);
        else conflicts += 1;
      } catch (error) {
        errors += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: writers }, writer));
  const seconds = (performance.now() - started) / 1_000;
  latenciesMs.sort((a, b) => a - b);
  return { seconds, ok: latenciesMs.length, conflicts, errors, latenciesMs, ...(firstError === undefined ? {} : { firstError }) };
}
