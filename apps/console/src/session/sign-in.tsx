import { type FormEvent, useEffect, useState } from 'react';
import { type Capabilities, learnCapabilities } from '../api/capabilities';
import { createApiClient } from '../api/client';
import { keyStore } from './key-store';

interface Props {
  readonly onSignedIn: (key: string, can: Capabilities) => void;
}

/** The key is pasted once; a reload of the tab signs in again from sessionStorage. */
export function SignIn({ onSignedIn }: Props) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const tryKey = async (candidate: string): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const client = createApiClient(candidate);
      const probe = await client.GET('/v1/events', { params: { query: { limit: 1 } } });
      if (probe.response.status === 401) {
        keyStore.clear();
        setError((probe.error as { detail?: string } | undefined)?.detail ?? 'The API key was not accepted.');
        return;
      }
      const can = await learnCapabilities(client);
      keyStore.write(candidate);
      onSignedIn(candidate, can);
    } catch (failure) {
      setError(`The API could not be reached: ${String(failure)}`);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    const stored = keyStore.read();
    if (stored) void tryKey(stored);
    // Once, at load: a stored key signs in without being pasted again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = key.trim();
    setKey('');
    if (trimmed) void tryKey(trimmed);
  };

  return (
    <main className="sign-in">
      <h1>Wallet console</h1>
      <form onSubmit={submit} className="card">
        <label htmlFor="api-key">API key</label>
        <input id="api-key" name="api-key" type="password" autoComplete="off" spellCheck={false} placeholder="wsk_..." value={key} onChange={(event) => setKey(event.target.value)} required />
        <p className="hint">Kept in this tab's session storage only, and sent as an Authorization header.</p>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
