import { type FormEvent, useState } from 'react';
import { expectData } from '../api/problem';
import { ErrorNote } from '../components/error-note';
import { Money } from '../components/money';
import { OpenWalletForm } from '../components/open-wallet-form';
import { Pager } from '../components/pager';
import { TransactionForm } from '../components/transaction-form';
import { useLoad } from '../components/use-load';
import { href } from '../router';
import { useSession } from '../session/session';
import { TableWrap } from '../components/table-wrap';

interface Filters {
  readonly ownerType: string;
  readonly ownerRef: string;
  readonly type: string;
  readonly metadataKey: string;
  readonly metadataValue: string;
}

const NO_FILTERS: Filters = { ownerType: '', ownerRef: '', type: '', metadataKey: '', metadataValue: '' };
const PAGE_SIZE = 20;

/** Wallets the key may see, searched by owner, type and metadata, a page at a time. */
export function WalletsPage() {
  const { client } = useSession();
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [cursor, setCursor] = useState<string | undefined>();
  const [minPosition, setMinPosition] = useState<string | undefined>();
  const page = useLoad(
    () =>
      expectData(
        client.GET('/v1/wallets', {
          params: {
            query: {
              limit: PAGE_SIZE,
              cursor,
              minPosition,
              ownerType: filters.ownerType || undefined,
              ownerRef: filters.ownerRef || undefined,
              type: filters.type || undefined,
              metadata: filters.metadataKey ? { [filters.metadataKey]: filters.metadataValue } : undefined,
            },
          },
        }),
      ),
    [client, filters, cursor, minPosition],
  );

  const search = (event: FormEvent) => {
    event.preventDefault();
    setCursor(undefined);
    setFilters(draft);
  };
  const field = (name: keyof Filters, label: string) => (
    <div className="field">
      <label htmlFor={`filter-${name}`}>{label}</label>
      <input id={`filter-${name}`} value={draft[name]} onChange={(event) => setDraft({ ...draft, [name]: event.target.value })} />
    </div>
  );

  return (
    <>
      <h1>Wallets</h1>
      <form className="card filters" onSubmit={search} aria-label="Search wallets">
        {field('ownerType', 'Owner type')}
        {field('ownerRef', 'Owner reference')}
        {field('type', 'Wallet type')}
        {field('metadataKey', 'Metadata key')}
        {field('metadataValue', 'Metadata value')}
        <button type="submit">Search</button>
      </form>
      <ErrorNote error={page.error} />
      <TableWrap label="Wallets table">
        <table className="stack" aria-busy={page.loading}>
          <caption>Wallets{page.loading ? ' (loading)' : ''}</caption>
          <thead>
            <tr>
              <th scope="col">Wallet</th>
              <th scope="col">Type</th>
              <th scope="col">Owners</th>
              <th scope="col" className="num">
                Available
              </th>
              <th scope="col" className="num">
                Ledger
              </th>
            </tr>
          </thead>
          <tbody>
            {page.data?.items.map((wallet) => (
              <tr key={wallet.id}>
                <td data-label="Wallet">
                  <a href={href.wallet(wallet.id)} className="mono">
                    {wallet.id}
                  </a>
                </td>
                <td data-label="Type">{wallet.type}</td>
                <td data-label="Owners">{wallet.owners.map((owner) => `${owner.ownerType}:${owner.ownerRef}`).join(', ') || '—'}</td>
                <td data-label="Available" className="num">
                  <Money minor={wallet.balance.available} currency={wallet.currency} />
                </td>
                <td data-label="Ledger" className="num">
                  <Money minor={wallet.balance.ledger} currency={wallet.currency} />
                </td>
              </tr>
            ))}
            {page.data?.items.length === 0 && (
              <tr>
                <td colSpan={5}>No wallets match.</td>
              </tr>
            )}
          </tbody>
        </table>
      </TableWrap>
      <Pager label="Wallet pages" atFirst={cursor === undefined} nextCursor={page.data?.nextCursor} onFirst={() => setCursor(undefined)} onNext={setCursor} />
      <div className="forms">
        <OpenWalletForm onOpened={(wallet) => (window.location.hash = href.wallet(wallet.id))} />
        <TransactionForm wallets={page.data?.items ?? []} onDone={(result) => setMinPosition(result.position)} />
      </div>
    </>
  );
}
