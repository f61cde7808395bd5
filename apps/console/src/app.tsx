import { useCallback, useMemo, useState } from 'react';
import { type Capabilities } from './api/capabilities';
import { createApiClient } from './api/client';
import { keyStore } from './session/key-store';
import { type Session, SessionContext } from './session/session';
import { SignIn } from './session/sign-in';
import { Shell } from './shell';

interface SignedIn {
  readonly key: string;
  readonly can: Capabilities;
}

export function App() {
  const [signedIn, setSignedIn] = useState<SignedIn | null>(null);
  const [refused, setRefused] = useState<ReadonlySet<string>>(new Set());
  const signOut = useCallback(() => {
    keyStore.clear();
    setRefused(new Set());
    setSignedIn(null);
  }, []);
  const refuse = useCallback((action: string) => setRefused((known) => new Set([...known, action])), []);
  // One client per key: pages and the live feed read again when their client changes, and a
  // recorded refusal (a new `refused`) must not make them.
  const key = signedIn?.key;
  const client = useMemo(() => (key ? createApiClient(key) : null), [key]);
  const session = useMemo<Session | null>(
    () => (signedIn && client ? { key: signedIn.key, client, can: signedIn.can, refused, refuse, signOut } : null),
    [signedIn, client, refused, refuse, signOut],
  );
  if (!session) return <SignIn onSignedIn={(key, can) => setSignedIn({ key, can })} />;
  return (
    <SessionContext.Provider value={session}>
      <Shell />
    </SessionContext.Provider>
  );
}
