import { type FormEvent, useState } from 'react';
import type { Wallet } from '../api/client';
import { errorText, expectData } from '../api/problem';
import { useSession } from '../session/session';
import { ErrorNote } from './error-note';
import { useIntentKey } from './use-intent-key';

/** Opens a wallet; an owner-bound key's wallet is always its owner's too (the API sees to it). */
export function OpenWalletForm({ onOpened }: { readonly onOpened: (wallet: Wallet) => void }) {
  const { client, can } = useSession();
  const [type, setType] = useState('');
  const [currency, setCurrency] = useState('USD');
  const [ownerType, setOwnerType] = useState('');
  const [ownerRef, setOwnerRef] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const intent = useIntentKey();
  if (!can.writeWallets) return null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const owners = ownerType && ownerRef ? [{ ownerType, ownerRef }] : undefined;
      const body = { type, currency: currency.toUpperCase(), ...(owners ? { owners } : {}) };
      const wallet = await expectData(client.POST('/v1/wallets', { params: { header: { 'Idempotency-Key': intent.keyFor(body) } }, body }));
      intent.settled();
      setType('');
      onOpened(wallet);
    } catch (failure) {
      intent.settled(failure);
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card form" onSubmit={submit} aria-labelledby="open-title">
      <h2 id="open-title">Open a wallet</h2>
      <div className="field">
        <label htmlFor="open-type">Type</label>
        <input id="open-type" value={type} onChange={(event) => setType(event.target.value)} placeholder="customer" required />
      </div>
      <div className="field">
        <label htmlFor="open-currency">Currency</label>
        <input id="open-currency" value={currency} onChange={(event) => setCurrency(event.target.value)} maxLength={3} required />
      </div>
      <div className="field">
        <label htmlFor="open-owner-type">Owner type</label>
        <input id="open-owner-type" value={ownerType} onChange={(event) => setOwnerType(event.target.value)} placeholder="user" />
      </div>
      <div className="field">
        <label htmlFor="open-owner-ref">Owner reference</label>
        <input id="open-owner-ref" value={ownerRef} onChange={(event) => setOwnerRef(event.target.value)} placeholder="alice" />
      </div>
      <button type="submit" disabled={busy}>
        Open wallet
      </button>
      <ErrorNote error={error} />
    </form>
  );
}
