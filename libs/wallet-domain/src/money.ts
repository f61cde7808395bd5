/** Largest amount or balance a wallet can hold: PostgreSQL's bigint and the API's `< 2^63`. */
export const MAX_MINOR = 2n ** 63n - 1n;

/** Decimal digits without sign, decimal point or leading zeros, as the API carries money. */
export const MINOR_UNITS_PATTERN = /^(0|[1-9][0-9]*)$/;

/** Parses a wire amount ("1050") into minor units; undefined when it is not one. */
export function parseMinor(text: string): bigint | undefined {
  if (!MINOR_UNITS_PATTERN.test(text) || text.length > 19) return undefined;
  const value = BigInt(text);
  return value <= MAX_MINOR ? value : undefined;
}

export function isPositiveAmount(amountMinor: bigint): boolean {
  return amountMinor > 0n && amountMinor <= MAX_MINOR;
}
