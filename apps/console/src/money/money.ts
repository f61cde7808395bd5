/**
 * Amounts are integer minor units as decimal strings. They are formatted and parsed with
 * string and bigint arithmetic only: a float cannot hold every amount below 2^63 exactly.
 */

import { code as iso4217 } from 'currency-codes';

/**
 * Digits after the decimal point for a currency, as ISO 4217's list of minor units says (2 for USD
 * and HUF, 0 for JPY, 3 for KWD and IQD). The list comes from the `currency-codes` package, not from
 * Intl: the browser's CLDR data rounds for display and says 0 for HUF or IDR, where the ledger's
 * minor unit is a hundredth. A code the list does not know gets 2.
 */
export function currencyExponent(currency: string): number {
  return iso4217(currency)?.digits ?? 2;
}

/** "123456", "USD" -> "1,234.56 USD"; "-5", "USD" -> "-0.05 USD". */
export function formatMoney(minor: string, currency: string): string {
  if (minor === 'unlimited') return 'unlimited';
  const negative = minor.startsWith('-');
  const digits = (negative ? minor.slice(1) : minor).replace(/^0+(?=\d)/, '');
  const exponent = currencyExponent(currency);
  const padded = digits.padStart(exponent + 1, '0');
  const whole = padded.slice(0, padded.length - exponent);
  const fraction = exponent > 0 ? `.${padded.slice(padded.length - exponent)}` : '';
  const grouped = BigInt(whole).toLocaleString('en-US');
  return `${negative ? '-' : ''}${grouped}${fraction} ${currency}`;
}

/** "12.5", "USD" -> "1250"; undefined for text that is not a positive amount with at most the currency's digits. */
export function parseMoney(text: string, currency: string): string | undefined {
  const exponent = currencyExponent(currency);
  const match = /^(\d+)(?:\.(\d*))?$/.exec(text.trim().replace(/,/g, ''));
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  if (fraction.length > exponent) return undefined;
  const minor = BigInt(match[1]! + fraction.padEnd(exponent, '0'));
  return minor > 0n ? minor.toString() : undefined;
}

/** Minor units as a number, for drawing only (a chart's y position); never shown or sent. */
export function plotValue(minor: string): number {
  return Number(minor);
}
