import { useState } from 'react';
import { errorText } from '../api/problem';
import { useSession } from '../session/session';

/**
 * One command from a button or an inline form: busy while it runs, the problem `detail` when
 * it is refused, and a 403 remembered so the console stops offering what the key may not do.
 */
export function useAction(name: string) {
  const { refuse } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async <T,>(command: () => Promise<T>, onDone: (result: T) => void): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      onDone(await command());
    } catch (failure) {
      if ((failure as { status?: number }).status === 403) refuse(name);
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}
