import { MAX_MINOR, parseMinor } from './money';

describe('parseMinor', () => {
  it.each(['1', '1050', '9223372036854775807'])('accepts %s', (text) => {
    expect(parseMinor(text)).toBe(BigInt(text));
  });

  it.each(['', '01', '-1', '1.5', '1e3', ' 1', '9223372036854775808', '99999999999999999999'])('rejects %p', (text) => {
    expect(parseMinor(text)).toBeUndefined();
  });

  it('knows the largest amount', () => {
    expect(MAX_MINOR.toString()).toBe('9223372036854775807');
  });
});
