import { formatMoney } from '../money/money';

/** An amount from the API, formatted exactly from its minor units. */
export function Money({ minor, currency }: { readonly minor: string; readonly currency: string }) {
  return <span className="money">{formatMoney(minor, currency)}</span>;
}
