import type { StoredResponse } from './event-store.port';

export type ClaimResult =
  | { readonly outcome: 'claimed'; readonly token: string }
  | { readonly outcome: 'replay'; readonly response: StoredResponse }
  | { readonly outcome: 'in_progress' }
  | { readonly outcome: 'mismatch' };

export interface ClaimRequest {
  readonly scope: string;
  readonly key: string;
  /** Hash of what the request asks for; the same key with another hash is a reuse. */
  readonly requestHash: string;
  /** How long the claim holds before another request may take over an abandoned one. */
  readonly leaseMs: number;
  /** How long a completed response is kept for replay. */
  readonly ttlMs: number;
}

/**
 * Idempotency records: claimed before a command runs, completed in the same transaction
 * as the events the command appends (see AppendOptions.idempotency).
 */
export interface IdempotencyStore {
  claim(request: ClaimRequest): Promise<ClaimResult>;
  /** Stores a response for a command that appended nothing. */
  complete(scope: string, key: string, token: string, response: StoredResponse): Promise<void>;
  /** Extends a running request's lease, so a slow request keeps its key. */
  renew(scope: string, key: string, token: string, leaseMs: number): Promise<void>;
  /** Forgets a claim whose command failed without an outcome worth replaying. */
  release(scope: string, key: string, token: string): Promise<void>;
  /** Deletes up to `limit` expired records; returns how many. */
  purgeExpired(limit: number): Promise<number>;
}

export const IDEMPOTENCY_STORE = Symbol('IDEMPOTENCY_STORE');
