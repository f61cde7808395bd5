import { type FormEvent, useState } from 'react';
import type { Schemas, Wallet } from '../api/client';
import { expectData } from '../api/problem';
import { href } from '../router';
import { useSession } from '../session/session';
import { ErrorNote } from './error-note';
import { Money } from './money';
import { Pager } from './pager';
import { ReverseAction } from './reverse-action';
import { StatusBadge } from './status-badge';
import { Time } from './time';
import { useLoad } from './use-load';
import { TableWrap } from './table-wrap';

interface Filters {
  readonly status: '' | 'pending' | 'confirmed' | 'rejected';
  readonly type: '' | 'credit' | 'debit';
  readonly reference: string;
  readonly order: 'desc' | 'asc';
}

const NO_FILTERS: Filters = { status: '', type: '', reference: '', order: 'desc' };
const PAGE_SIZE = 25;

interface Props {
  readonly wallet: Wallet;
  readonly minPosition: string | undefined;
  readonly onChanged: (result: Schemas['TransactionResult']) => void;
}

/** The wallet's transactions, archived ones included and marked, filtered and paged by cursor. */
export function HistoryTable({ wallet, minPosition, onChanged }: Props) {
  const { client } = useSession();
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [cursor, setCursor] = useState<string | undefined>();
  const page = useLoad(
    () =>
      expectData(
        client.GET('/v1/wallets/{walletId}/transactions', {
          params: {
            path: { walletId: wallet.id },
            query: { limit: PAGE_SIZE, cursor, minPosition, order: filters.order, status: filters.status || undefined, type: filters.type || undefined, reference: filters.reference || undefined },
          },
        }),
      ),
    [client, wallet.id, filters, cursor, minPosition],
  );
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setCursor(undefined);
    setFilters(draft);
  };

  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      <form className="card filters" onSubmit={apply} aria-label="Filter history">
        <div className="field">
          <label htmlFor="history-status">Status</label>
          <select id="history-status" value={draft.status} onChange={(event) => setDraft({ ...draft, status: event.target.value as Filters['status'] })}>
            <option value="">Any</option>
            <option value="pending">pending</option>
            <option value="confirmed">confirmed</option>
            <option value="rejected">rejected</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="history-type">Type</label>
          <select id="history-type" value={draft.type} onChange={(event) => setDraft({ ...draft, type: event.target.value as Filters['type'] })}>
            <option value="">Any</option>
            <option value="credit">credit</option>
            <option value="debit">debit</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="history-reference">Reference</label>
          <input id="history-reference" value={draft.reference} onChange={(event) => setDraft({ ...draft, reference: event.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="history-order">Order</label>
          <select id="history-order" value={draft.order} onChange={(event) => setDraft({ ...draft, order: event.target.value as Filters['order'] })}>
            <option value="desc">Newest first</option>
            <option value="asc">Oldest first</option>
          </select>
        </div>
        <button type="submit">Filter</button>
      </form>
      <ErrorNote error={page.error} />
      <TableWrap label="History table">
        <table className="stack" aria-busy={page.loading}>
          <caption className="hide-narrow">Transactions of this wallet</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Transaction</th>
              <th scope="col" className="num">
                Amount
              </th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {page.data?.items.map((transaction) => (
              <tr key={transaction.id} data-transaction={transaction.id}>
                <td data-label="When">
                  <Time at={transaction.createdAt} />
                </td>
                <td data-label="Transaction">
                  {transaction.type} <span className="mono">{transaction.id.slice(0, 8)}</span>
                  {transaction.description ? <div>{transaction.description}</div> : null}
                  {transaction.reference ? <div>ref {transaction.reference}</div> : null}
                  {transaction.reversalOf ? <div>reverses {transaction.reversalOf.slice(0, 8)}</div> : null}
                  {transaction.groupId ? (
                    <div>
                      <a href={href.group(transaction.groupId)}>group {transaction.groupId.slice(0, 8)}</a>
                    </div>
                  ) : null}
                </td>
                <td data-label="Amount" className="num">
                  <Money minor={transaction.amount} currency={wallet.currency} />
                  {transaction.capturedAmount !== transaction.amount && transaction.status !== 'rejected' ? (
                    <div>
                      captured <Money minor={transaction.capturedAmount} currency={wallet.currency} />
                    </div>
                  ) : null}
                </td>
                <td data-label="Status">
                  <StatusBadge status={transaction.status} />
                  {transaction.archived ? <span className="badge archived">archived</span> : null}
                </td>
                <td data-label="Actions">
                  <ReverseAction transaction={transaction} currency={wallet.currency} onDone={onChanged} />
                </td>
              </tr>
            ))}
            {page.data?.items.length === 0 && (
              <tr>
                <td colSpan={5}>No transactions match.</td>
              </tr>
            )}
          </tbody>
        </table>
      </TableWrap>
      <Pager label="History pages" atFirst={cursor === undefined} nextCursor={page.data?.nextCursor} onFirst={() => setCursor(undefined)} onNext={setCursor} />
    </section>
  );
}
