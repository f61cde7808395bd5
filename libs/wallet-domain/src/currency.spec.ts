import { isIso4217Currency } from './currency';

describe('isIso4217Currency', () => {
  it.each(['USD', 'EUR', 'JPY', 'GBP', 'CHF'])('accepts %s', (code) => {
    expect(isIso4217Currency(code)).toBe(true);
  });

  it.each(['XYZ', 'ABC', 'usd', 'Usd', 'US', 'USDT', '', ' USD', 'USD ', 'U$D', '123'])('rejects %p', (code) => {
    expect(isIso4217Currency(code)).toBe(false);
  });
});
