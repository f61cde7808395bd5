import fc from 'fast-check';
import { retryDelayMs } from './retry-delay';

const SECOND_MS = 1_000;
const HOUR_MS = 3_600_000;
/** Random values as Math.random gives them: [0, 1). */
const random = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe('retryDelayMs (exponential backoff with full jitter)', () => {
  it('stays between the 1 s floor and a ceiling that doubles per failure, never above 1 h', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), random, (failures, r) => {
        const delay = retryDelayMs(failures, r, SECOND_MS, HOUR_MS);
        const ceiling = Math.min(HOUR_MS, SECOND_MS * 2 ** (failures - 1));
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(SECOND_MS);
        expect(delay).toBeLessThanOrEqual(ceiling);
        expect(delay).toBeLessThanOrEqual(HOUR_MS);
      }),
    );
  });

  it('spreads over the whole range up to the ceiling (full jitter, not a fixed wait)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), (failures) => {
        const ceiling = Math.min(HOUR_MS, SECOND_MS * 2 ** (failures - 1));
        expect(retryDelayMs(failures, 0, SECOND_MS, HOUR_MS)).toBe(SECOND_MS);
        expect(retryDelayMs(failures, 0.999_999, SECOND_MS, HOUR_MS)).toBeGreaterThanOrEqual(Math.floor(ceiling * 0.999));
      }),
    );
  });

  it('grows with the failures: the ceiling of failure n is twice that of n - 1 until the cap', () => {
    const top = (failures: number): number => retryDelayMs(failures, 0.999_999_999, SECOND_MS, HOUR_MS);
    expect([1, 2, 3, 4, 5].map(top)).toEqual([999, 1_999, 3_999, 7_999, 15_999].map((ms) => Math.max(SECOND_MS, ms)));
    // 2^12 s passes an hour: capped from the 13th failure on.
    expect(top(12)).toBeLessThan(HOUR_MS);
    expect(top(13)).toBe(HOUR_MS - 1);
    expect(top(10_000)).toBeLessThanOrEqual(HOUR_MS);
  });

  it('is monotone in the random value for a given failure count', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), random, random, (failures, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(retryDelayMs(failures, low, SECOND_MS, HOUR_MS)).toBeLessThanOrEqual(retryDelayMs(failures, high, SECOND_MS, HOUR_MS));
      }),
    );
  });

  it('keeps the configured bounds when they are small (the test settings)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), random, (failures, r) => {
        const delay = retryDelayMs(failures, r, 20, 200);
        expect(delay).toBeGreaterThanOrEqual(20);
        expect(delay).toBeLessThanOrEqual(200);
      }),
    );
  });
});
