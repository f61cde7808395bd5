import { useRef } from 'react';
import { ApiProblem } from '../api/problem';

/**
 * One Idempotency-Key per intent: the same key for every submission of the same values, so a
 * click retried after a timeout or a dropped connection gets the first request's answer instead
 * of booking twice. Changed values are a new intent and get a new key. The key is dropped once
 * the outcome is known (a success, or a refusal the API decided: retrying it with the same key
 * would only replay the refusal), and kept while it is not (no answer, a 5xx, or the API still
 * running the first request).
 */
export function useIntentKey() {
  const intent = useRef<{ readonly values: string; readonly key: string } | null>(null);
  return {
    keyFor(values: unknown): string {
      const text = JSON.stringify(values);
      if (intent.current?.values !== text) intent.current = { values: text, key: crypto.randomUUID() };
      return intent.current.key;
    },
    /** After a command's end: keeps the key only when the command may have been done unseen. */
    settled(failure?: unknown): void {
      if (failure === undefined || !outcomeUnknown(failure)) intent.current = null;
    },
  };
}

function outcomeUnknown(failure: unknown): boolean {
  if (!(failure instanceof ApiProblem)) return true;
  return failure.status >= 500 || failure.code === 'IDEMPOTENCY_KEY_IN_PROGRESS';
}
