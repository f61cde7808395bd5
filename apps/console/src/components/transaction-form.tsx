import { type FormEvent, useState } from 'react';
import type { Schemas, Wallet } from '../api/client';
import { errorText, expectData } from '../api/problem';
import { parseMoney } from '../money/money';
import { useSession } from '../session/session';
import { ErrorNote } from './error-note';
import { useIntentKey } from './use-intent-key';

interface Props {
  /** The wallet to book on; without it the form offers the wallets given. */
  readonly wallet?: Wallet;
  readonly wallets?: readonly Wallet[];
  readonly onDone: (result: Schemas['TransactionResult']) => void;
}

/** Records a credit or a debit, confirmed or as a hold. What the key may not do is not offered. */
export function TransactionForm({ wallet, wallets = [], onDone }: Props) {
  const { client, can, refused, refuse } = useSession();
  const types = (['credit', 'debit'] as const).filter((type) => !refused.has(type));
  const [walletId, setWalletId] = useState(wallet?.id ?? '');
  const [type, setType] = useState<'credit' | 'debit'>(types[0] ?? 'debit');
  const [amount, setAmount] = useState('');
  const [description, setDescription] = useState('');
  const [reference, setReference] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const intent = useIntentKey();
  if (!can.writeWallets || types.length === 0) return null;
  const target = wallet ?? wallets.find((candidate) => candidate.id === walletId);
  const formId = wallet ? 'book' : 'book-any';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!target) return setError('Choose a wallet.');
    const minor = parseMoney(amount, target.currency);
    if (!minor) return setError(`Enter a positive amount in ${target.currency}, with at most its decimal places.`);
    // The type offered may have been withdrawn since it was chosen: what is sent is what counts.
    const sent = types.includes(type) ? type : types[0]!;
    const body = { type: sent, amount: minor, pending, ...(description ? { description } : {}), ...(reference ? { reference } : {}) };
    setBusy(true);
    setError(null);
    try {
      const result = await expectData(
        client.POST('/v1/wallets/{walletId}/transactions', {
          params: { path: { walletId: target.id }, header: { 'Idempotency-Key': intent.keyFor({ walletId: target.id, ...body }) } },
          body,
        }),
      );
      intent.settled();
      setAmount('');
      setDescription('');
      setReference('');
      onDone(result);
    } catch (failure) {
      intent.settled(failure);
      if ((failure as { status?: number }).status === 403) refuse(sent);
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card form" onSubmit={submit} aria-labelledby={`${formId}-title`}>
      <h2 id={`${formId}-title`}>Credit or debit</h2>
      {!wallet && (
        <div className="field">
          <label htmlFor={`${formId}-wallet`}>Wallet</label>
          <select id={`${formId}-wallet`} value={walletId} onChange={(event) => setWalletId(event.target.value)} required>
            <option value="">Choose a wallet…</option>
            {wallets.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.type} · {candidate.currency} · {candidate.id.slice(0, 8)}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="field">
        <label htmlFor={`${formId}-type`}>Type</label>
        <select id={`${formId}-type`} value={type} onChange={(event) => setType(event.target.value as 'credit' | 'debit')}>
          {types.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${formId}-amount`}>Amount{target ? ` (${target.currency})` : ''}</label>
        <input id={`${formId}-amount`} inputMode="decimal" value={amount} onChange={(event) => setAmount(event.target.value)} placeholder="10.00" required />
      </div>
      <div className="field">
        <label htmlFor={`${formId}-description`}>Description</label>
        <input id={`${formId}-description`} value={description} onChange={(event) => setDescription(event.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${formId}-reference`}>Reference</label>
        <input id={`${formId}-reference`} value={reference} onChange={(event) => setReference(event.target.value)} />
      </div>
      <div className="field check">
        <input id={`${formId}-pending`} type="checkbox" checked={pending} onChange={(event) => setPending(event.target.checked)} />
        <label htmlFor={`${formId}-pending`}>Place a hold (pending)</label>
      </div>
      <button type="submit" disabled={busy}>
        {pending ? 'Place hold' : 'Record'}
      </button>
      <ErrorNote error={error} />
    </form>
  );
}
