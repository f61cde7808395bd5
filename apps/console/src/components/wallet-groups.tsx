import { useState } from 'react';
import type { Wallet } from '../api/client';
import { expectData } from '../api/problem';
import { href } from '../router';
import { useSession } from '../session/session';
import { ErrorNote } from './error-note';
import { Money } from './money';
import { Pager } from './pager';
import { StatusBadge } from './status-badge';
import { TableWrap } from './table-wrap';
import { Time } from './time';
import { useLoad } from './use-load';

const PAGE_SIZE = 10;

/** The transaction groups (transfers included) with a leg on this wallet, each linking to its page. */
export function WalletGroups({ wallet, minPosition }: { readonly wallet: Wallet; readonly minPosition: string | undefined }) {
  const { client } = useSession();
  const [cursor, setCursor] = useState<string | undefined>();
  const page = useLoad(
    () => expectData(client.GET('/v1/transaction-groups', { params: { query: { walletId: wallet.id, limit: PAGE_SIZE, cursor, minPosition } } })),
    [client, wallet.id, cursor, minPosition],
  );
  if (page.data?.items.length === 0 && cursor === undefined) return null;
  return (
    <section aria-labelledby="groups-title">
      <h2 id="groups-title">Groups and transfers</h2>
      <ErrorNote error={page.error} />
      <TableWrap label="Groups table">
        <table className="stack">
          <caption className="hide-narrow">Groups with a leg on this wallet</caption>
          <thead>
            <tr>
              <th scope="col">Group</th>
              <th scope="col">Created</th>
              <th scope="col" className="num">
                This wallet&apos;s legs
              </th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {page.data?.items.map((group) => (
              <tr key={group.id}>
                <td data-label="Group">
                  <a href={href.group(group.id)}>
                    {group.description ?? 'group'} <span className="mono">{group.id.slice(0, 8)}</span>
                  </a>
                </td>
                <td data-label="Created">
                  <Time at={group.createdAt} />
                </td>
                <td data-label="This wallet's legs" className="num">
                  {group.transactions
                    .filter((leg) => leg.walletId === wallet.id)
                    .map((leg) => (
                      <div key={leg.id}>
                        {leg.type} <Money minor={leg.amount} currency={wallet.currency} />
                      </div>
                    ))}
                </td>
                <td data-label="Status">
                  <StatusBadge status={group.status} />
                  {group.reversalOf ? <span className="badge">reversal</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <Pager label="Group pages" atFirst={cursor === undefined} nextCursor={page.data?.nextCursor} onFirst={() => setCursor(undefined)} onNext={setCursor} />
    </section>
  );
}
