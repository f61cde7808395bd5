/** The most events one read returns, whatever the caller asks for. */
export const READ_COUNT_MAX = 10_000;

/** A read's count, checked and capped at READ_COUNT_MAX. */
export function boundedCount(count: number): number {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`maxCount must be a positive integer, got ${count}.`);
  return Math.min(count, READ_COUNT_MAX);
}
