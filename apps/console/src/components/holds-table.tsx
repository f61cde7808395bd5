import type { Schemas, Wallet } from '../api/client';
import { expectData } from '../api/problem';
import { useSession } from '../session/session';
import { ErrorNote } from './error-note';
import { HoldActions } from './hold-actions';
import { Money } from './money';
import { Time } from './time';
import { useLoad } from './use-load';
import { TableWrap } from './table-wrap';

interface Props {
  readonly wallet: Wallet;
  readonly minPosition: string | undefined;
  readonly onChanged: (result: Schemas['TransactionResult']) => void;
}

/** The wallet's pending transactions, with what each still holds and what it captured. */
export function HoldsTable({ wallet, minPosition, onChanged }: Props) {
  const { client } = useSession();
  const holds = useLoad(
    () => expectData(client.GET('/v1/wallets/{walletId}/transactions', { params: { path: { walletId: wallet.id }, query: { status: 'pending', limit: 100, minPosition } } })),
    [client, wallet.id, minPosition],
  );
  return (
    <section aria-labelledby="holds-title">
      <h2 id="holds-title">Pending holds</h2>
      <ErrorNote error={holds.error} />
      <TableWrap label="Holds table">
        <table className="stack">
          <caption className="hide-narrow">Holds of this wallet</caption>
          <thead>
            <tr>
              <th scope="col">Hold</th>
              <th scope="col" className="num">
                Held
              </th>
              <th scope="col" className="num">
                Captured
              </th>
              <th scope="col">Expires</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {holds.data?.items.map((hold) => (
              <tr key={hold.id} data-hold={hold.id}>
                <td data-label="Hold">
                  {hold.type} <span className="mono">{hold.id.slice(0, 8)}</span>
                  {hold.description ? <div>{hold.description}</div> : null}
                </td>
                <td data-label="Held" className="num">
                  <Money minor={hold.heldAmount} currency={wallet.currency} />
                </td>
                <td data-label="Captured" className="num">
                  <Money minor={hold.capturedAmount} currency={wallet.currency} />
                </td>
                <td data-label="Expires">
                  <Time at={hold.expiresAt} />
                </td>
                <td data-label="Actions">
                  <HoldActions hold={hold} currency={wallet.currency} onDone={onChanged} />
                </td>
              </tr>
            ))}
            {holds.data?.items.length === 0 && (
              <tr>
                <td colSpan={5}>No pending holds.</td>
              </tr>
            )}
          </tbody>
        </table>
      </TableWrap>
    </section>
  );
}
