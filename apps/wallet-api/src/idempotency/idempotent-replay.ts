import type { StoredResponse } from '@wallet/event-store';

/**
 * Thrown to answer with a stored response. Nest would overwrite the status of a returned
 * value with the route's own, so the replay travels the exception path and the problem
 * filter sends it exactly as it was first sent.
 */
export class IdempotentReplay {
  constructor(readonly response: StoredResponse) {}
}
