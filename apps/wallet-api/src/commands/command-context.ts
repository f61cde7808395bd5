import type { StoredResponse } from '@wallet/event-store';

/** The idempotency key a request holds, and the status its success answers with. */
export interface HeldIdempotencyKey {
  readonly scope: string;
  readonly key: string;
  readonly token: string;
  readonly successStatus: number;
}

/** Who asked and how to record the answer: travels with every command from HTTP to the store. */
export interface CommandContext {
  readonly requestId: string;
  readonly idempotency?: HeldIdempotencyKey;
}

export function storedSuccess(key: HeldIdempotencyKey, body: unknown): StoredResponse {
  return { status: key.successStatus, body };
}
