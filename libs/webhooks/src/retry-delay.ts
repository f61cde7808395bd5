/**
 * How long to wait before the next attempt after `failures` failed ones: exponential backoff
 * with full jitter (a random wait up to a ceiling that doubles per failure, `random` in [0, 1)),
 * never below `baseMs` and never above `maxMs`.
 */
export function retryDelayMs(failures: number, random: number, baseMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(failures - 1, 0), 40));
  return Math.min(maxMs, Math.max(baseMs, Math.floor(random * ceiling)));
}
