import type { Caller } from '@wallet/access';
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
  /** The API key the request came with; undefined for the service's own commands (hold expiry). */
  readonly caller?: Caller;
  readonly idempotency?: HeldIdempotencyKey;
}

export function storedSuccess(key: HeldIdempotencyKey, body: unknown): StoredResponse {
  return { status: key.successStatus, body };
}

/** The command as the caller may issue it: bound to the caller's owner when its key has one. */
export function actingAs<Command extends object>(command: Command, context: CommandContext): Command {
  const owner = context.caller?.owner;
  return owner ? { ...command, actingFor: owner } : command;
}
