import { useState } from 'react';
import type { Schemas, Transaction } from '../api/client';
import { expectData } from '../api/problem';
import { useSession } from '../session/session';
import { AmountForm } from './amount-form';
import { ErrorNote } from './error-note';
import { useAction } from './use-action';

type Result = Schemas['TransactionResult'];
type Open = 'capture' | 'increase' | null;

interface Props {
  readonly hold: Transaction;
  readonly currency: string;
  readonly onDone: (result: Result) => void;
}

/** Capture (part or all, final or not), increase and release of one pending transaction; one the API refused this key is no longer offered. */
export function HoldActions({ hold, currency, onDone }: Props) {
  const { client, can, refused } = useSession();
  const [open, setOpen] = useState<Open>(null);
  const [final, setFinal] = useState(true);
  const action = useAction(`hold-${open ?? 'release'}`);
  if (!can.writeWallets) return null;
  const path = { walletId: hold.walletId, transactionId: hold.id };
  const done = (result: Result) => {
    setOpen(null);
    onDone(result);
  };
  const label = `${hold.type} of ${hold.id.slice(0, 8)}`;

  if (open === 'capture') {
    return (
      <AmountForm
        id={`capture-${hold.id}`}
        label="Capture"
        currency={currency}
        optional
        submitLabel="Capture"
        busy={action.busy}
        error={action.error}
        onCancel={() => setOpen(null)}
        onSubmit={(amount) =>
          void action.run(() => expectData(client.POST('/v1/wallets/{walletId}/transactions/{transactionId}/confirm', { params: { path }, body: { ...(amount ? { amount } : {}), final } })), done)
        }
      >
        <div className="field check">
          <input id={`capture-${hold.id}-final`} type="checkbox" checked={final} onChange={(event) => setFinal(event.target.checked)} />
          <label htmlFor={`capture-${hold.id}-final`}>Final (release the rest)</label>
        </div>
      </AmountForm>
    );
  }
  if (open === 'increase') {
    return (
      <AmountForm
        id={`increase-${hold.id}`}
        label="Increase by"
        currency={currency}
        submitLabel="Increase"
        busy={action.busy}
        error={action.error}
        onCancel={() => setOpen(null)}
        onSubmit={(amount) => void action.run(() => expectData(client.POST('/v1/wallets/{walletId}/transactions/{transactionId}/increase', { params: { path }, body: { amount: amount! } })), done)}
      />
    );
  }
  return (
    <div>
      <div className="actions">
        {!refused.has('hold-capture') && (
          <button type="button" className="secondary" onClick={() => setOpen('capture')} aria-label={`Capture ${label}`}>
            Capture
          </button>
        )}
        {!refused.has('hold-increase') && (
          <button type="button" className="secondary" onClick={() => setOpen('increase')} aria-label={`Increase ${label}`}>
            Increase
          </button>
        )}
        {!refused.has('hold-release') && (
          <button
            type="button"
            className="danger"
            disabled={action.busy}
            aria-label={`Release ${label}`}
            onClick={() => void action.run(() => expectData(client.POST('/v1/wallets/{walletId}/transactions/{transactionId}/reject', { params: { path }, body: { reason: 'released from the console' } })), done)}
          >
            Release
          </button>
        )}
      </div>
      <ErrorNote error={action.error} />
    </div>
  );
}
