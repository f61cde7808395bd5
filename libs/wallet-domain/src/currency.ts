const knownCurrencies: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/** True for an ISO 4217 alphabetic code known to the runtime's ICU data ("USD", "EUR", ...). */
export function isIso4217Currency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && knownCurrencies.has(code);
}
