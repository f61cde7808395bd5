import { useState } from 'react';
import type { Schemas, Transaction } from '../api/client';
import { expectData } from '../api/problem';
import { useSession } from '../session/session';
import { AmountForm } from './amount-form';
import { useAction } from './use-action';
import { useIntentKey } from './use-intent-key';

/** What may still be reversed: a confirmed transaction outside a group, not a reversal, with captures left. */
export function reversible(transaction: Transaction): boolean {
  return transaction.status === 'confirmed' && transaction.groupId === null && transaction.reversalOf === null && BigInt(transaction.capturedAmount) > BigInt(transaction.reversedAmount);
}

/** Reverses a confirmed transaction, in part or in full. */
export function ReverseAction({ transaction, currency, onDone }: { readonly transaction: Transaction; readonly currency: string; readonly onDone: (result: Schemas['TransactionResult']) => void }) {
  const { client, can, refused } = useSession();
  const [open, setOpen] = useState(false);
  const action = useAction(`reverse-${transaction.type}`);
  const intent = useIntentKey();
  if (!can.writeWallets || refused.has(`reverse-${transaction.type}`) || !reversible(transaction)) return null;
  if (!open) {
    return (
      <button type="button" className="secondary" onClick={() => setOpen(true)} aria-label={`Reverse ${transaction.type} ${transaction.id.slice(0, 8)}`}>
        Reverse
      </button>
    );
  }
  return (
    <AmountForm
      id={`reverse-${transaction.id}`}
      label="Reverse"
      currency={currency}
      optional
      submitLabel="Reverse"
      busy={action.busy}
      error={action.error}
      onCancel={() => setOpen(false)}
      onSubmit={(amount) =>
        void action.run(
          () => {
            const body = { ...(amount ? { amount } : {}), reason: 'reversed from the console' };
            return expectData(
              client.POST('/v1/wallets/{walletId}/transactions/{transactionId}/reverse', {
                params: { path: { walletId: transaction.walletId, transactionId: transaction.id }, header: { 'Idempotency-Key': intent.keyFor({ transactionId: transaction.id, ...body }) } },
                body,
              }),
            );
          },
          (result) => {
            setOpen(false);
            onDone(result);
          },
          intent.settled,
        )
      }
    />
  );
}
