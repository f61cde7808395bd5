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

/**
 * A domain command as a request maps it. The moment it is decided at and the owner it acts
 * for are left out: the runner adds them (see `stamp`), so no mapper can pick either.
 */
export type Unstamped<Command> = Command extends unknown ? Omit<Command, 'now' | 'actingFor'> : never;

/** The command as the domain decides it: at `now`, and bound to the caller's owner when its key has one. */
export function stamp<Command extends { readonly now: Date }>(command: Unstamped<Command>, now: Date, context: CommandContext): Command {
  const owner = context.caller?.owner;
  // Omit over a union loses the link between a command's type and its fields, so TypeScript
  // cannot see that adding back what was left out gives the command again.
  return { ...command, now, ...(owner ? { actingFor: owner } : {}) } as unknown as Command;
}
