import type { Wallet } from '../api/client';
import { Money } from './money';

/** The four balances of a wallet, as the API states them. */
export function BalanceCards({ wallet }: { readonly wallet: Wallet }) {
  const cards = [
    ['Ledger', wallet.balance.ledger],
    ['Available', wallet.balance.available],
    ['Pending debits', wallet.balance.pendingDebits],
    ['Pending credits', wallet.balance.pendingCredits],
  ] as const;
  return (
    <dl className="cards" aria-label="Balances">
      {cards.map(([label, minor]) => (
        <div className="card" key={label}>
          <dt>{label}</dt>
          <dd data-balance={label}>
            <Money minor={minor} currency={wallet.currency} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
