import { useState } from 'react';
import type { Schemas } from '../api/client';
import { expectData } from '../api/problem';
import { BalanceChart } from '../chart/balance-chart';
import { BalanceCards } from '../components/balance-cards';
import { ErrorNote } from '../components/error-note';
import { HistoryTable } from '../components/history-table';
import { HoldsTable } from '../components/holds-table';
import { Money } from '../components/money';
import { TransactionForm } from '../components/transaction-form';
import { useLoad } from '../components/use-load';
import { WalletGroups } from '../components/wallet-groups';
import { href } from '../router';
import { useSession } from '../session/session';

/**
 * One wallet: balances, chart, holds, history. After each change every part reads again with
 * the command's position as minPosition, so it shows the change (read-your-writes).
 */
export function WalletPage({ walletId }: { readonly walletId: string }) {
  const { client } = useSession();
  const [position, setPosition] = useState<string | undefined>();
  const wallet = useLoad(() => expectData(client.GET('/v1/wallets/{walletId}', { params: { path: { walletId }, query: { minPosition: position } } })), [client, walletId, position]);
  const changed = (result: Schemas['TransactionResult']) => setPosition(result.position);

  if (wallet.error && !wallet.data) {
    return (
      <>
        <h1>Wallet</h1>
        <ErrorNote error={wallet.error} />
        <a href={href.wallets}>Back to wallets</a>
      </>
    );
  }
  if (!wallet.data) return <p aria-busy="true">Loading wallet…</p>;
  const current = wallet.data;
  return (
    <>
      <h1>
        Wallet <span className="mono">{current.id}</span>
      </h1>
      <p>
        {current.type} · {current.currency} · owners {current.owners.map((owner) => `${owner.ownerType}:${owner.ownerRef}`).join(', ') || 'none'} · overdraft limit{' '}
        {current.overdraftLimit === 'unlimited' ? 'unlimited' : <Money minor={current.overdraftLimit} currency={current.currency} />}
      </p>
      <BalanceCards wallet={current} />
      <BalanceChart wallet={current} minPosition={position} />
      <TransactionForm wallet={current} onDone={changed} />
      <HoldsTable wallet={current} minPosition={position} onChanged={changed} />
      <HistoryTable wallet={current} minPosition={position} onChanged={changed} />
      <WalletGroups wallet={current} minPosition={position} />
    </>
  );
}
