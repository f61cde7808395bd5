import { createContext, useContext } from 'react';
import type { Capabilities } from '../api/capabilities';
import type { ApiClient } from '../api/client';

export interface Session {
  readonly key: string;
  readonly client: ApiClient;
  readonly can: Capabilities;
  /** Records that the API refused an action to this key, so it is no longer offered. */
  readonly refused: ReadonlySet<string>;
  readonly refuse: (action: string) => void;
  readonly signOut: () => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in console');
  return session;
}
