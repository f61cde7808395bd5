import { currencyExponent, formatMoney, parseMoney } from '../apps/console/src/money/money';

/** The console's amounts: minor units in and out by strings and bigint, exact up to 2^63. */
describe('the console formats and parses money exactly', () => {
  it('knows each currency exponent', () => {
    expect([currencyExponent('USD'), currencyExponent('JPY'), currencyExponent('KWD')]).toEqual([2, 0, 3]);
    // ISO 4217, not the display rounding of CLDR (which says 0 for HUF and IDR).
    expect([currencyExponent('HUF'), currencyExponent('IDR'), currencyExponent('IQD'), currencyExponent('LBP')]).toEqual([2, 2, 3, 2]);
    expect(currencyExponent('QQQ')).toBe(2);
  });

  it('formats minor units with grouping and the currency digits', () => {
    expect(formatMoney('123456', 'USD')).toBe('1,234.56 USD');
    expect(formatMoney('5', 'USD')).toBe('0.05 USD');
    expect(formatMoney('0', 'EUR')).toBe('0.00 EUR');
    expect(formatMoney('-250', 'USD')).toBe('-2.50 USD');
    expect(formatMoney('1000', 'JPY')).toBe('1,000 JPY');
    expect(formatMoney('1234', 'KWD')).toBe('1.234 KWD');
    expect(formatMoney('123456', 'HUF')).toBe('1,234.56 HUF');
    expect(formatMoney('1234', 'IQD')).toBe('1.234 IQD');
    expect(formatMoney('5', 'JPY')).toBe('5 JPY');
    // Beyond a double's 2^53: every digit kept.
    expect(formatMoney('9223372036854775807', 'USD')).toBe('92,233,720,368,547,758.07 USD');
    expect(formatMoney('unlimited', 'USD')).toBe('unlimited');
  });

  it('parses typed amounts into minor units, refusing what the currency cannot hold', () => {
    expect(parseMoney('12.5', 'USD')).toBe('1250');
    expect(parseMoney('1,000', 'USD')).toBe('100000');
    expect(parseMoney('0.01', 'USD')).toBe('1');
    expect(parseMoney('92233720368547758.07', 'USD')).toBe('9223372036854775807');
    expect(parseMoney('7', 'JPY')).toBe('7');
    expect(parseMoney('12.34', 'HUF')).toBe('1234');
    expect(parseMoney('1.5', 'KWD')).toBe('1500');
    expect(parseMoney('0.001', 'IQD')).toBe('1');
    expect([parseMoney('1.0001', 'KWD'), parseMoney('1.001', 'HUF')]).toEqual([undefined, undefined]);
    expect([parseMoney('1.005', 'USD'), parseMoney('1.5', 'JPY'), parseMoney('0', 'USD'), parseMoney('-1', 'USD'), parseMoney('abc', 'USD')]).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});
