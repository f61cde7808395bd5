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
  /** `settled` hears the command's end (with its failure, if any): an intent key is kept or dropped by it. */
  const run = async <T,>(command: () => Promise<T>, onDone: (result: T) => void, settled?: (failure?: unknown) => void): Promise<void> => {
    setBusy(true);
    setError(null);
    let result: T;
    try {
      result = await command();
    } catch (failure) {
      settled?.(failure);
      if ((failure as { status?: number }).status === 403) refuse(name);
      setError(errorText(failure));
      return;
    } finally {
      setBusy(false);
    }
    settled?.();
    onDone(result);
  };
  return { busy, error, setError, run };
}
