import { useState } from 'react';
import type { Schemas } from '../api/client';
import { expectData } from '../api/problem';
import { ErrorNote } from '../components/error-note';
import { Money } from '../components/money';
import { StatusBadge } from '../components/status-badge';
import { Time } from '../components/time';
import { useAction } from '../components/use-action';
import { useIntentKey } from '../components/use-intent-key';
import { useLoad } from '../components/use-load';
import { href } from '../router';
import { useSession } from '../session/session';
import { TableWrap } from '../components/table-wrap';

/** A transaction group with its legs; confirm or reject while pending, reverse once completed. */
export function GroupPage({ groupId }: { readonly groupId: string }) {
  const { client, can, refused } = useSession();
  const [position, setPosition] = useState<string | undefined>();
  const group = useLoad(
    async () => {
      const found = await expectData(client.GET('/v1/transaction-groups/{groupId}', { params: { path: { groupId }, query: { minPosition: position } } }));
      // Legs carry no currency; all of a group's legs share their wallets' one currency.
      const first = found.transactions[0];
      const wallet = first ? await expectData(client.GET('/v1/wallets/{walletId}', { params: { path: { walletId: first.walletId } } })) : undefined;
      return { group: found, currency: wallet?.currency ?? '' };
    },
    [client, groupId, position],
  );
  const action = useAction('group');
  const intent = useIntentKey();
  const done = (result: Schemas['GroupResult']) => setPosition(result.position);
  const path = { groupId };

  if (!group.data) {
    return (
      <>
        <h1>Group</h1>
        <ErrorNote error={group.error} />
        {!group.error && <p aria-busy="true">Loading group…</p>}
      </>
    );
  }
  const { group: current, currency } = group.data;
  const writable = can.writeWallets && !refused.has('group');
  const reversible = current.status === 'completed' && current.reversalOf === null && current.reversedBy === null;
  return (
    <>
      <h1>
        Group <span className="mono">{current.id}</span>
      </h1>
      <p>
        <StatusBadge status={current.status} /> {current.description ?? ''} {current.reference ? `· ref ${current.reference}` : ''} · created <Time at={current.createdAt} />
        {current.expiresAt ? (
          <>
            {' '}
            · expires <Time at={current.expiresAt} />
          </>
        ) : null}
      </p>
      {current.reversalOf && (
        <p>
          Reverses <a href={href.group(current.reversalOf)}>group {current.reversalOf.slice(0, 8)}</a>
        </p>
      )}
      {current.reversedBy && (
        <p>
          Reversed by <a href={href.group(current.reversedBy)}>group {current.reversedBy.slice(0, 8)}</a>
        </p>
      )}
      {writable && (
        <div className="actions">
          {current.status === 'pending' && (
            <>
              <button type="button" disabled={action.busy} onClick={() => void action.run(() => expectData(client.POST('/v1/transaction-groups/{groupId}/confirm', { params: { path } })), done)}>
                Confirm all legs
              </button>
              <button type="button" className="danger" disabled={action.busy} onClick={() => void action.run(() => expectData(client.POST('/v1/transaction-groups/{groupId}/reject', { params: { path } })), done)}>
                Reject all legs
              </button>
            </>
          )}
          {reversible && (
            <button
              type="button"
              className="secondary"
              disabled={action.busy}
              onClick={() =>
                void action.run(
                  () => expectData(client.POST('/v1/transaction-groups/{groupId}/reverse', { params: { path, header: { 'Idempotency-Key': intent.keyFor(path) } }, body: { reason: 'reversed from the console' } })),
                  done,
                  intent.settled,
                )
              }
            >
              Reverse the group
            </button>
          )}
        </div>
      )}
      <ErrorNote error={action.error ?? group.error} />
      <TableWrap label="Legs table">
        <table className="stack">
          <caption>Legs</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Wallet</th>
              <th scope="col">Type</th>
              <th scope="col" className="num">
                Amount
              </th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {current.transactions.map((leg, index) => (
              <tr key={leg.id}>
                <td data-label="#">{index + 1}</td>
                <td data-label="Wallet">
                  <a href={href.wallet(leg.walletId)} className="mono">
                    {leg.walletId}
                  </a>
                </td>
                <td data-label="Type">{leg.type}</td>
                <td data-label="Amount" className="num">
                  <Money minor={leg.amount} currency={currency} />
                </td>
                <td data-label="Status">
                  <StatusBadge status={leg.status} />
                  {leg.archived ? <span className="badge archived">archived</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}
