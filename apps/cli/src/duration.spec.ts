import { parseDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    ['30d', 30 * 86_400_000],
    ['12h', 12 * 3_600_000],
    ['90m', 90 * 60_000],
    ['45s', 45_000],
    ['0d', 0],
  ])('reads %s', (text, expected) => {
    expect(parseDuration(text)).toBe(expected);
  });

  it.each(['', '30', 'd', '1.5d', '-1d', '30 days', '12w', '99999999d'])('refuses %j', (text) => {
    expect(() => parseDuration(text)).toThrow('Expected a whole number and a unit');
  });
});
